using Nephele.Core.Protocols;

namespace Nephele.Services.Lambda.Runtime;

/// <summary>
/// dotnet* functions. A class-library handler (Assembly::Namespace.Type::Method) runs in Nephele's own host,
/// `dotnet exec &lt;nephele dir&gt;/lambda-host/Nephele.LambdaHost.dll`, which loads the function's assembly and speaks the
/// Runtime API. An executable assembly (handler = the assembly's name, e.g. "MyFunction", which uses
/// Amazon.Lambda.RuntimeSupport or speaks the Runtime API itself) runs as `dotnet exec &lt;task root&gt;/&lt;handler&gt;.dll`.
/// </summary>
internal static class DotnetLaunch
{
    /// <summary>Where the host is shipped: beside Nephele's executable (or the test assembly that hosts Nephele).</summary>
    public static string HostPath => Path.Combine(AppContext.BaseDirectory, "lambda-host", "Nephele.LambdaHost.dll");

    public static bool HostInstalled => File.Exists(HostPath);

    public static bool Applies(string runtime) => runtime.StartsWith("dotnet", StringComparison.Ordinal);

    public static bool IsClassLibrary(string handler) => handler.Contains("::", StringComparison.Ordinal);

    public static RuntimeLaunch For(FunctionSpec spec)
    {
        if (IsClassLibrary(spec.Handler))
        {
            if (!HostInstalled)
                throw new AwsException("InvalidRuntimeException",
                    $"Nephele runs {spec.Runtime} class-library handlers like '{spec.Handler}' with its .NET Lambda host, which is missing: expected " +
                    $"{HostPath} beside Nephele's executable. Reinstall Nephele (the host ships in its lambda-host/ directory).", 502, false,
                    new() { ["Type"] = "User" });
            return spec.Launch with { Arguments = ["exec", HostPath], OwnClient = true };
        }
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
