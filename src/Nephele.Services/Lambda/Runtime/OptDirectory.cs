using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Lambda.Runtime;

/// <summary>
/// What plays the role of /opt for a function's execution environments: its layers unpacked in order (a later layer
/// overwrites the files of an earlier one, as AWS extracts them), once per distinct list of layer versions, under
/// &lt;root&gt;/opt/&lt;hash&gt;. Without containers there is no real /opt, so the runtimes are pointed at this directory
/// through the variables AWS's runtimes set for /opt (PATH, LD_LIBRARY_PATH, NODE_PATH, PYTHONPATH).
/// </summary>
internal static class OptDirectory
{
    private static readonly SemaphoreSlim Extracting = new(1, 1);

    /// <summary>The unpacked layers, shared by every environment with the same layer versions (read-only by convention, as /opt is on AWS).</summary>
    public static async Task<string> PrepareAsync(string root, IBlobStore blobs, IReadOnlyList<FunctionLayer> layers)
    {
        var id = Id(layers);
        var directory = Path.Combine(root, "opt", id);
        if (Directory.Exists(directory)) return directory;
        await Extracting.WaitAsync();
        try
        {
            if (Directory.Exists(directory)) return directory;
            var partial = directory + ".partial";
            if (Directory.Exists(partial)) Directory.Delete(partial, true);
            Directory.CreateDirectory(partial);
            foreach (var layer in layers)
            {
                await using var zip = blobs.OpenRead("lambda", layer.CodeBlob) ?? throw AwsException.InternalFailure();
                await ZipFile.ExtractToDirectoryAsync(zip, partial, overwriteFiles: true);
            }
            Directory.Move(partial, directory);
            return directory;
        }
        finally
        {
            Extracting.Release();
        }
    }

    /// <summary>The directory name of one list of layer versions.</summary>
    public static string Id(IReadOnlyList<FunctionLayer> layers) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", layers.Select(l => l.CodeSha256)))));

    /// <summary>The variables AWS's runtimes derive from /opt, with <paramref name="opt"/> in its place. Variables the
    /// function sets itself win, as they do on AWS.</summary>
    public static void Apply(FunctionSpec spec, string opt, Dictionary<string, string> variables)
    {
        void Set(string name, string value)
        {
            if (!spec.Environment.ContainsKey(name)) variables[name] = value;
        }
        var sep = Path.PathSeparator.ToString();
        variables["PATH"] = variables.GetValueOrDefault("PATH", "") + sep + Path.Combine(opt, "bin");
        Set("LD_LIBRARY_PATH", string.Join(sep, new[] { Environment.GetEnvironmentVariable("LD_LIBRARY_PATH"), spec.CodeDirectory,
            Path.Combine(spec.CodeDirectory, "lib"), Path.Combine(opt, "lib") }.Where(p => !string.IsNullOrEmpty(p))));
        if (spec.Runtime.StartsWith("nodejs", StringComparison.Ordinal))
        {
            var major = new string(spec.Runtime.Where(char.IsAsciiDigit).ToArray());
            Set("NODE_PATH", string.Join(sep, Path.Combine(opt, "nodejs", "node" + major, "node_modules"), Path.Combine(opt, "nodejs", "node_modules"),
                spec.CodeDirectory));
        }
        else if (spec.Runtime.StartsWith("python", StringComparison.Ordinal))
            Set("PYTHONPATH", string.Join(sep, Path.Combine(opt, "python", "lib", spec.Runtime, "site-packages"), Path.Combine(opt, "python")));
    }

    /// <summary>provided.* runtimes look for bootstrap in the function's package, then in /opt (a layer may bring the runtime).</summary>
    public static RuntimeLaunch Launch(FunctionSpec spec, string opt) =>
        spec.Runtime.StartsWith("provided", StringComparison.Ordinal) && !File.Exists(spec.Launch.FileName)
            && File.Exists(Path.Combine(opt, "bootstrap"))
            ? spec.Launch with { FileName = Path.Combine(opt, "bootstrap") }
            : spec.Launch;
}
