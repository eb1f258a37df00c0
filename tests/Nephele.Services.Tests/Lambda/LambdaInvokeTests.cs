using System.Net;
using System.Text;
using System.Text.Json;
using Nephele.Services.Tests.Logs;

namespace Nephele.Services.Tests.Lambda;

/// <summary>Invocations that really run node and python processes (each cold start costs tens of milliseconds).</summary>
public sealed class LambdaInvokeTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly LambdaClient _lambda = new(nephele.Http());

    private const string NodeEcho = """
        exports.handler = async (event, context) => {
          console.log('got', JSON.stringify(event));
          return {
            event, pid: process.pid, requestId: context.awsRequestId, name: context.functionName, memory: context.memoryLimitInMB,
            remaining: context.getRemainingTimeInMillis(), endpoint: process.env.AWS_ENDPOINT_URL, tz: process.env.TZ,
            region: process.env.AWS_REGION, mine: process.env.MINE, root: process.env.LAMBDA_TASK_ROOT, api: process.env.AWS_LAMBDA_RUNTIME_API,
          };
        };
        """;

    private static string Decode(string? base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64!));

    [Fact]
    public async Task Node_handler_runs_with_AWS_environment_and_its_warm_environment_is_reused()
    {
        var name = LambdaClient.Unique("node");
        await _lambda.CreateOk(name, "nodejs20.x", "index.handler", LambdaClient.Zip(("index.js", NodeEcho)),
            new { Environment = new { Variables = new { MINE = "yes" } }, MemorySize = 256 });

        var first = await _lambda.Invoke(name, new { hello = "world" }, headers: new() { ["X-Amz-Log-Type"] = "Tail" });
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Null(first.Header("X-Amz-Function-Error"));
        Assert.Equal("$LATEST", first.Header("X-Amz-Executed-Version"));
        var result = first.Json;
        Assert.Equal("world", result.GetProperty("event").GetProperty("hello").GetString());
        Assert.Equal(name, result.GetProperty("name").GetString());
        Assert.Equal("256", result.GetProperty("memory").GetString());
        Assert.InRange(result.GetProperty("remaining").GetInt64(), 1, 3000);
        Assert.Equal(nephele.Endpoint, result.GetProperty("endpoint").GetString());
        Assert.Equal((":UTC", "us-east-1", "yes"), (result.GetProperty("tz").GetString(), result.GetProperty("region").GetString(), result.GetProperty("mine").GetString()));
        var log = Decode(first.Header("X-Amz-Log-Result"));
        Assert.Contains($"START RequestId: {result.GetProperty("requestId").GetString()} Version: $LATEST", log);
        Assert.Contains("\tINFO\tgot {\"hello\":\"world\"}", log);
        Assert.Contains("Init Duration:", log);
        Assert.Contains("Memory Size: 256 MB", log);

        var second = await _lambda.Invoke(name, new { n = 2 }, headers: new() { ["X-Amz-Log-Type"] = "Tail" });
        Assert.Equal(result.GetProperty("pid").GetInt32(), second.Json.GetProperty("pid").GetInt32());
        Assert.DoesNotContain("Init Duration", Decode(second.Header("X-Amz-Log-Result")));
    }

    [Fact]
    public async Task Esm_and_callback_handlers_both_answer()
    {
        var name = LambdaClient.Unique("esm");
        var zip = LambdaClient.Zip(
            ("app.mjs", "export const handler = async (event) => ({ esm: true, value: event.value * 2 });"),
            ("cb.js", "exports.handler = (event, context, callback) => { setTimeout(() => callback(null, { callback: event.value }), 5); };"));
        await _lambda.CreateOk(name, "nodejs22.x", "app.handler", zip);
        Assert.Equal(42, (await _lambda.Invoke(name, new { value = 21 })).Json.GetProperty("value").GetInt32());
        await _lambda.Ok(HttpMethod.Put, $"/2015-03-31/functions/{name}/configuration", new { Handler = "cb.handler" });
        Assert.Equal(7, (await _lambda.Invoke(name, new { value = 7 })).Json.GetProperty("callback").GetInt32());
    }

    [Fact]
    public async Task Node_errors_come_back_as_unhandled_function_errors()
    {
        var name = LambdaClient.Unique("nodeerr");
        var zip = LambdaClient.Zip(
            ("index.js", "exports.handler = async (e) => { if (e.exit) process.exit(3); const err = new Error('boom'); err.name = 'CustomError'; throw err; };"));
        await _lambda.CreateOk(name, "nodejs20.x", "index.handler", zip);
        var failed = await _lambda.Invoke(name);
        Assert.Equal(HttpStatusCode.OK, failed.Status);
        Assert.Equal("Unhandled", failed.Header("X-Amz-Function-Error"));
        Assert.Equal(("CustomError", "boom"), (failed.Json.GetProperty("errorType").GetString(), failed.Json.GetProperty("errorMessage").GetString()));
        Assert.True(failed.Json.GetProperty("trace").GetArrayLength() > 0);

        var exited = await _lambda.Invoke(name, new { exit = true });
        Assert.Equal("Runtime.ExitError", exited.Json.GetProperty("errorType").GetString());
        Assert.Contains("Runtime exited with error: exit status 3", exited.Json.GetProperty("errorMessage").GetString());

        await _lambda.Ok(HttpMethod.Put, $"/2015-03-31/functions/{name}/configuration", new { Handler = "missing.handler" });
        var import = await _lambda.Invoke(name);
        Assert.Equal("Unhandled", import.Header("X-Amz-Function-Error"));
        Assert.Equal("Runtime.ImportModuleError", import.Json.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task A_function_that_runs_past_its_timeout_is_killed_and_reported()
    {
        var name = LambdaClient.Unique("timeout");
        await _lambda.CreateOk(name, "nodejs20.x", "index.handler",
            LambdaClient.Zip(("index.js", "exports.handler = () => new Promise(() => setInterval(() => {}, 1000));")), new { Timeout = 1 });
        var timedOut = await _lambda.Invoke(name);
        Assert.Equal("Unhandled", timedOut.Header("X-Amz-Function-Error"));
        Assert.Equal("Sandbox.Timedout", timedOut.Json.GetProperty("errorType").GetString());
        Assert.EndsWith("Task timed out after 1.00 seconds", timedOut.Json.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task Python_handler_gets_its_context_and_reports_exceptions()
    {
        var name = LambdaClient.Unique("python");
        var zip = LambdaClient.Zip(("app.py", """
            import os
            def handler(event, context):
                print("python says hi")
                if event.get("fail"):
                    raise ValueError("bad value")
                return {"name": context.function_name, "remaining": context.get_remaining_time_in_millis(), "handler": os.environ["_HANDLER"], "sum": event["a"] + event["b"]}
            """));
        await _lambda.CreateOk(name, "python3.11", "app.handler", zip);
        var ok = await _lambda.Invoke(name, new { a = 2, b = 3 }, headers: new() { ["X-Amz-Log-Type"] = "Tail" });
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal((name, "app.handler", 5), (ok.Json.GetProperty("name").GetString(), ok.Json.GetProperty("handler").GetString(), ok.Json.GetProperty("sum").GetInt32()));
        Assert.Contains("python says hi", Decode(ok.Header("X-Amz-Log-Result")));

        var failed = await _lambda.Invoke(name, new { fail = true });
        Assert.Equal("Unhandled", failed.Header("X-Amz-Function-Error"));
        Assert.Equal(("ValueError", "bad value"), (failed.Json.GetProperty("errorType").GetString(), failed.Json.GetProperty("errorMessage").GetString()));
    }

    [Fact]
    public async Task Provided_runtime_runs_the_packages_own_bootstrap()
    {
        var name = LambdaClient.Unique("provided");
        var bootstrap = """
            #!/usr/bin/env python3
            import http.client, json, os
            host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
            c = http.client.HTTPConnection(host, int(port))
            while True:
                c.request("GET", "/2018-06-01/runtime/invocation/next")
                r = c.getresponse()
                event = json.loads(r.read())
                rid = r.getheader("Lambda-Runtime-Aws-Request-Id")
                print("custom runtime handling", rid, flush=True)
                c.request("POST", f"/2018-06-01/runtime/invocation/{rid}/response", json.dumps({"shout": event["say"].upper()}))
                c.getresponse().read()
            """;
        await _lambda.CreateOk(name, "provided.al2023", "unused", LambdaClient.Zip(("bootstrap", bootstrap)));
        var reply = await _lambda.Invoke(name, new { say = "hi" });
        Assert.Equal("HI", reply.Json.GetProperty("shout").GetString());
    }

    [Fact]
    public async Task An_event_invocation_answers_202_and_its_output_lands_in_CloudWatch_Logs()
    {
        var name = LambdaClient.Unique("logs");
        await _lambda.CreateOk(name, "nodejs20.x", "index.handler", LambdaClient.Zip(("index.js", "exports.handler = async () => { console.error('to the log'); return 1; };")));
        var accepted = await _lambda.Invoke(name, headers: new() { ["X-Amz-Invocation-Type"] = "Event" });
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        var logs = new LogsClient(nephele.Http());
        var messages = new List<string>();
        for (var attempt = 0; attempt < 500 && !messages.Any(m => m.StartsWith("REPORT")); attempt++)
        {
            await Task.Delay(20);
            // The group appears with the first log lines, shortly after the invocation.
            var groups = await logs.Call("DescribeLogGroups", new { logGroupNamePrefix = $"/aws/lambda/{name}" });
            if (groups.GetProperty("logGroups").GetArrayLength() == 0) continue;
            var found = await logs.Call("FilterLogEvents", new { logGroupName = $"/aws/lambda/{name}" });
            messages = found.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
        }
        Assert.Contains(messages, m => m.StartsWith("START RequestId:"));
        Assert.Contains(messages, m => m.EndsWith("\tERROR\tto the log"));
        Assert.Contains(messages, m => m.StartsWith("REPORT RequestId:") && m.Contains("Billed Duration:"));
        var streams = await logs.Call("DescribeLogStreams", new { logGroupName = $"/aws/lambda/{name}" });
        Assert.Contains("[$LATEST]", streams.GetProperty("logStreams")[0].GetProperty("logStreamName").GetString());
    }

    [Fact]
    public async Task Alias_routing_splits_traffic_between_versions_and_new_code_gets_a_new_environment()
    {
        var name = LambdaClient.Unique("alias");
        await _lambda.CreateOk(name, "nodejs20.x", "index.handler", LambdaClient.Zip(("index.js", "exports.handler = async () => 'one';")), new { Publish = true });
        await _lambda.Ok(HttpMethod.Put, $"/2015-03-31/functions/{name}/code",
            new { ZipFile = Convert.ToBase64String(LambdaClient.Zip(("index.js", "exports.handler = async () => 'two';"))) });
        Assert.Equal("\"two\"", (await _lambda.Invoke(name)).Body);
        await _lambda.Ok(HttpMethod.Post, $"/2015-03-31/functions/{name}/versions", new { });
        await _lambda.Ok(HttpMethod.Post, $"/2015-03-31/functions/{name}/aliases", new
        {
            Name = "live",
            FunctionVersion = "1",
            RoutingConfig = new { AdditionalVersionWeights = new Dictionary<string, double> { ["2"] = 0.5 } },
        });
        var executed = new HashSet<string>();
        for (var i = 0; i < 40 && executed.Count < 2; i++)
        {
            var reply = await _lambda.Invoke($"{name}:live");
            executed.Add($"{reply.Header("X-Amz-Executed-Version")}={reply.Body}");
        }
        Assert.Equal(["1=\"one\"", "2=\"two\""], executed.Order());
    }

    [Fact]
    public async Task Reserved_concurrency_throttles_the_invocation_beyond_it()
    {
        var name = LambdaClient.Unique("reserved");
        await _lambda.CreateOk(name, "nodejs20.x", "index.handler",
            LambdaClient.Zip(("index.js", "exports.handler = () => new Promise(r => setTimeout(() => r('done'), 400));")));
        await _lambda.Ok(HttpMethod.Put, $"/2017-10-31/functions/{name}/concurrency", new { ReservedConcurrentExecutions = 1 });
        var replies = await Task.WhenAll(_lambda.Invoke(name), _lambda.Invoke(name));
        Assert.Single(replies, r => r.Status == HttpStatusCode.OK);
        var throttled = Assert.Single(replies, r => r.Status == (HttpStatusCode)429);
        Assert.Equal("ReservedFunctionConcurrentInvocationLimitExceeded", throttled.Json.GetProperty("Reason").GetString());
    }
}

public sealed class LambdaShutdownTests
{
    [Fact]
    public async Task Disposing_Nephele_ends_the_runtime_processes_it_started()
    {
        var nephele = new NepheleFixture();
        await nephele.InitializeAsync();
        int pid;
        try
        {
            var lambda = new LambdaClient(nephele.Http());
            await lambda.CreateOk("pid", "nodejs20.x", "index.handler", LambdaClient.Zip(("index.js", "exports.handler = async () => process.pid;")));
            pid = int.Parse((await lambda.Invoke("pid")).Body, System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(System.Diagnostics.Process.GetProcessById(pid).HasExited);
        }
        finally
        {
            await nephele.DisposeAsync();
        }
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid));
    }
}
