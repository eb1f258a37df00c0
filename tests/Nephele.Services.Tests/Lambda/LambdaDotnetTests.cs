using System.IO.Compression;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Nephele.Services.Tests.Lambda;

/// <summary>
/// dotnet* functions. Compiling a function in the test would cost minutes on CI's two cores, so the executable assembly
/// is a prebuilt minimal program (Prebuilt/DotnetEcho.dll, source beside it) that speaks the Runtime API as
/// Amazon.Lambda.RuntimeSupport does.
/// </summary>
public sealed class LambdaDotnetTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly LambdaClient _lambda = new(nephele.Http());

    private static byte[] PrebuiltPackage([CallerFilePath] string source = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(source)!, "Prebuilt");
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var file in new[] { "DotnetEcho.dll", "DotnetEcho.runtimeconfig.json" })
                zip.CreateEntryFromFile(Path.Combine(directory, file), file);
        return buffer.ToArray();
    }

    [Fact]
    public async Task Executable_assembly_runs_with_dotnet_and_answers_through_the_runtime_api()
    {
        using var health = JsonDocument.Parse(await nephele.Http().GetStringAsync("/_nephele/health"));
        var runtimes = health.RootElement.GetProperty("details").GetProperty("lambda").GetProperty("runtimes").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains("dotnet8", runtimes);
        Assert.Contains("dotnet10", runtimes);

        var name = LambdaClient.Unique("dotnet");
        await _lambda.CreateOk(name, "dotnet10", "DotnetEcho", PrebuiltPackage());
        var reply = await _lambda.Invoke(name, new { hello = "dotnet" }, headers: new() { ["X-Amz-Log-Type"] = "Tail" });
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.True(reply.Header("X-Amz-Function-Error") is null, reply.Body);
        Assert.Equal("dotnet", reply.Json.GetProperty("event").GetProperty("hello").GetString());
        Assert.Equal("DotnetEcho", reply.Json.GetProperty("handler").GetString());
        Assert.StartsWith(".NET ", reply.Json.GetProperty("runtime").GetString());
        Assert.Contains("dotnet got {\"hello\":\"dotnet\"}", Encoding.UTF8.GetString(Convert.FromBase64String(reply.Header("X-Amz-Log-Result")!)));
        Assert.Equal(2, (await _lambda.Invoke(name, new { n = 2 })).Json.GetProperty("event").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task A_missing_executable_assembly_fails_with_runtime_exit_error()
    {
        var missing = LambdaClient.Unique("dotnetmissing");
        await _lambda.CreateOk(missing, "dotnet8", "NotThere", PrebuiltPackage());
        var failed = await _lambda.Invoke(missing);
        Assert.Equal("Unhandled", failed.Header("X-Amz-Function-Error"));
        Assert.Equal("Runtime.ExitError", failed.Json.GetProperty("errorType").GetString());
    }
}
