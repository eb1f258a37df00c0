using System.Reflection;
using System.Runtime.Loader;

namespace Nephele.LambdaHost;

/// <summary>
/// The function's own load context: its assembly and dependencies come from the package (through its .deps.json when
/// there is one, else the files of the task root), the framework from the shared runtime. Nothing of the host leaks in,
/// so the function's Amazon.Lambda.Core is the one it was built against.
/// </summary>
internal sealed class FunctionLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver? _resolver;
    private readonly string _root;

    public FunctionLoadContext(string mainAssemblyPath) : base("lambda-function")
    {
        _root = Path.GetDirectoryName(mainAssemblyPath)!;
        try
        {
            _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
        }
        catch (InvalidOperationException)
        {
            // No usable .deps.json: fall back to the task root's files.
        }
        Resolving += (_, name) => Probe(name);
        ResolvingUnmanagedDll += (_, name) => ProbeNative(name);
    }

    protected override Assembly? Load(AssemblyName name) =>
        _resolver?.ResolveAssemblyToPath(name) is { } path ? LoadFromAssemblyPath(path) : null;

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver?.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;

    /// <summary>An assembly the shared framework does not have, from the task root.</summary>
    private Assembly? Probe(AssemblyName name)
    {
        var path = Path.Combine(_root, name.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    private IntPtr ProbeNative(string name)
    {
        foreach (var candidate in new[] { name, "lib" + name + ".so", name + ".so" })
        {
            var path = Path.Combine(_root, candidate);
            if (File.Exists(path)) return LoadUnmanagedDllFromPath(path);
        }
        return IntPtr.Zero;
    }
}
