using Nephele.Core.Protocols;

namespace Nephele.Services.Lambda.Runtime;

/// <summary>
/// dotnet* functions: an executable assembly (handler = the assembly's name, e.g. "MyFunction", which uses
/// Amazon.Lambda.RuntimeSupport or speaks the Runtime API itself) runs as `dotnet exec &lt;task root&gt;/&lt;handler&gt;.dll`.
/// Class-library handlers (Assembly::Namespace.Type::Method) need a host of Nephele's own that is not shipped yet.
/// </summary>
internal static class DotnetLaunch
{
    public static bool Applies(string runtime) => runtime.StartsWith("dotnet", StringComparison.Ordinal);

    public static RuntimeLaunch For(FunctionSpec spec)
    {
        if (spec.Handler.Contains("::", StringComparison.Ordinal))
            throw new AwsException("InvalidRuntimeException",
                $"Nephele runs {spec.Runtime} functions as executable assemblies (handler = the assembly name, with Amazon.Lambda.RuntimeSupport's " +
                $"bootstrap in Main); class-library handlers like '{spec.Handler}' are not supported yet.", 502, false, new() { ["Type"] = "User" });
        var assembly = Path.Combine(spec.CodeDirectory, spec.Handler + ".dll");
        return spec.Launch with { Arguments = ["exec", assembly] };
    }

    /// <summary>AWS's managed runtime has exactly the function's .NET version; a machine may have only a newer one, so
    /// the process may roll forward to the next major version rather than fail to start.</summary>
    public static void Apply(FunctionSpec spec, Dictionary<string, string> variables)
    {
        if (!spec.Environment.ContainsKey("DOTNET_ROLL_FORWARD")) variables["DOTNET_ROLL_FORWARD"] = "Major";
        variables["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        variables["DOTNET_NOLOGO"] = "1";
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { } root) variables["DOTNET_ROOT"] = root;
    }
}
