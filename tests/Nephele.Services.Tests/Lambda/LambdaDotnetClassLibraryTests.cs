using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Nephele.Services.Tests.Lambda;

/// <summary>
/// dotnet* class-library handlers (Assembly::Namespace.Type::Method) run in Nephele's own host. The function is the
/// Nephele.Lambda.TestFunction project (built with the solution, against a stand-in Amazon.Lambda.Core), zipped from
/// this test assembly's output directory.
/// </summary>
public sealed class LambdaDotnetClassLibraryTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private const string Type = "Nephele.Lambda.TestFunction::Nephele.Lambda.TestFunction.Functions::";
    private readonly LambdaClient _lambda = new(nephele.Http());

    private static byte[] Package()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var file in new[] { "Nephele.Lambda.TestFunction.dll", "Amazon.Lambda.Core.dll" })
                zip.CreateEntryFromFile(Path.Combine(AppContext.BaseDirectory, file), file);
        return buffer.ToArray();
    }

    private async Task<string> Create(string method, string runtime = "dotnet8", string? handler = null)
    {
        var name = LambdaClient.Unique("dotnetlib");
        await _lambda.CreateOk(name, runtime, handler ?? Type + method, Package(), new { MemorySize = 256 });
        return name;
    }

    [Fact]
    public async Task Health_names_the_class_library_host()
    {
        using var health = JsonDocument.Parse(await nephele.Http().GetStringAsync("/_nephele/health"));
        var host = health.RootElement.GetProperty("details").GetProperty("lambda").GetProperty("dotnetClassLibraryHost").GetString();
        Assert.EndsWith("Nephele.LambdaHost.dll", host);
        Assert.DoesNotContain("missing", host);
    }

    [Fact]
    public async Task A_poco_handler_with_ilambdacontext_gets_the_context_and_logs_through_its_logger()
    {
        var name = await Create("TotalAsync", "dotnet10");
        var reply = await _lambda.Invoke(name, new { id = "o-1", quantity = 3 }, headers: new() { ["X-Amz-Log-Type"] = "Tail" });
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.True(reply.Header("X-Amz-Function-Error") is null, reply.Body);
        Assert.Equal("o-1", reply.Json.GetProperty("OrderId").GetString());
        Assert.Equal(30, reply.Json.GetProperty("Total").GetInt32());
        Assert.Equal(name, reply.Json.GetProperty("FunctionName").GetString());
        Assert.Equal(256, reply.Json.GetProperty("MemoryLimitInMB").GetInt32());
        Assert.True(reply.Json.GetProperty("TimeLeft").GetBoolean());
        Assert.True(Guid.TryParse(reply.Json.GetProperty("RequestId").GetString(), out _));
        var log = Encoding.UTF8.GetString(Convert.FromBase64String(reply.Header("X-Amz-Log-Result")!));
        Assert.Contains($"info\torder o-1 seen by {name}", log);
        Assert.Contains("console output of invocation 1", log);
        Assert.Contains("Init Duration", log);

        // The same instance serves the next invocation of the warm environment.
        var again = await _lambda.Invoke(name, new { id = "o-2", quantity = 1 }, headers: new() { ["X-Amz-Log-Type"] = "Tail" });
        Assert.Contains("console output of invocation 2", Encoding.UTF8.GetString(Convert.FromBase64String(again.Header("X-Amz-Log-Result")!)));
    }

    [Fact]
    public async Task String_stream_static_and_task_handlers_run()
    {
        Assert.Equal("\"HELLO\"", (await _lambda.Invoke(await Create("Upper"), "hello")).Body);
        Assert.Equal("}3:\"a\"{", (await _lambda.Invoke(await Create("Reverse"), new { a = 3 })).Body);
        Assert.Equal(40, (await _lambda.Invoke(await Create("Total"), new { Id = "x", Quantity = 4 })).Json.GetProperty("Total").GetInt32());
        var nothing = await _lambda.Invoke(await Create("Nothing"));
        Assert.Equal(HttpStatusCode.OK, nothing.Status);
        Assert.True(nothing.Header("X-Amz-Function-Error") is null, nothing.Body);
    }

    [Fact]
    public async Task A_lambda_serializer_attribute_chooses_the_serializer()
    {
        var reply = await _lambda.Invoke(await Create("Serialized"), new { id = "s-1", quantity = 2 });
        Assert.Equal("s-1", reply.Json.GetProperty("ORDER_ID").GetString());
        Assert.Equal(2, reply.Json.GetProperty("TOTAL").GetInt32());
    }

    [Fact]
    public async Task Handler_exceptions_are_reported_with_type_message_stack_and_cause()
    {
        var reply = await _lambda.Invoke(await Create("Reject"), new { id = "r-1", quantity = 1 });
        Assert.Equal("Unhandled", reply.Header("X-Amz-Function-Error"));
        Assert.Equal("InvalidOperationException", reply.Json.GetProperty("errorType").GetString());
        Assert.Equal("order r-1 rejected", reply.Json.GetProperty("errorMessage").GetString());
        Assert.Contains(reply.Json.GetProperty("stackTrace").EnumerateArray(), f => f.GetString()!.Contains("Functions.Reject", StringComparison.Ordinal));
        Assert.Equal("ArgumentException", reply.Json.GetProperty("cause").GetProperty("errorType").GetString());

        var later = await _lambda.Invoke(await Create("FailLater"));
        Assert.Equal("TimeoutException", later.Json.GetProperty("errorType").GetString());
        Assert.Equal("backend timed out", later.Json.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task Handlers_that_cannot_be_loaded_fail_init_as_aws_reports_them()
    {
        async Task<JsonElement> Fails(string handler)
        {
            var reply = await _lambda.Invoke(await Create("", handler: handler));
            Assert.Equal("Unhandled", reply.Header("X-Amz-Function-Error"));
            return reply.Json;
        }

        var assembly = await Fails("Missing::Missing.Type::Run");
        Assert.Equal("LambdaValidationException", assembly.GetProperty("errorType").GetString());
        Assert.Equal("Could not find the specified handler assembly with the file name 'Missing, Culture=neutral, PublicKeyToken=null'. " +
            "The assembly should be located in the root of your uploaded .zip file.", assembly.GetProperty("errorMessage").GetString());
        Assert.StartsWith("Unable to load type 'Nephele.Lambda.TestFunction.Nope'",
            (await Fails("Nephele.Lambda.TestFunction::Nephele.Lambda.TestFunction.Nope::Run")).GetProperty("errorMessage").GetString());
        Assert.EndsWith("Found no methods matching method name 'Nope'.", (await Fails(Type + "Nope")).GetProperty("errorMessage").GetString());
        Assert.Contains("appears to have a number of overloads", (await Fails(Type + "Overloaded")).GetProperty("errorMessage").GetString());
        Assert.Equal("Invalid lambda function handler: 'A::B'. The valid format is 'ASSEMBLY::TYPE::METHOD'.",
            (await Fails("A::B")).GetProperty("errorMessage").GetString());

        var constructor = await Fails("Nephele.Lambda.TestFunction::Nephele.Lambda.TestFunction.BrokenConstructor::Run");
        Assert.StartsWith("An exception was thrown when the constructor for type", constructor.GetProperty("errorMessage").GetString());
        Assert.Equal("ArithmeticException", constructor.GetProperty("cause").GetProperty("cause").GetProperty("errorType").GetString());
    }
}
