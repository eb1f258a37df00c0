using Nephele.Services.Logs;

namespace Nephele.Services.Tests.Logs;

/// <summary>`nephele logs` in process: the command's client against a fixture server.</summary>
public sealed class LogsTailTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly LogsClient _logs = new(nephele.Http());

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private async Task<string> Function(params string[] messages)
    {
        var name = $"fn-{Guid.NewGuid():N}";
        await _logs.Call("CreateLogGroup", new { logGroupName = "/aws/lambda/" + name });
        await _logs.Call("CreateLogStream", new { logGroupName = "/aws/lambda/" + name, logStreamName = "2026/11/28/[$LATEST]abc" });
        var now = Now;
        if (messages.Length > 0)
            await _logs.PutEvents("/aws/lambda/" + name, "2026/11/28/[$LATEST]abc", messages.Select((m, i) => (now + i, m)).ToArray());
        return name;
    }

    [Fact]
    public async Task Logs_prints_the_functions_events_with_time_and_stream()
    {
        var name = await Function("START RequestId: 1\n", "hello\n", "END RequestId: 1\n");
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await LogsTail.RunAsync(new Uri(nephele.Endpoint), name, follow: false, output, errors, CancellationToken.None);
        Assert.Equal(0, code);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.EndsWith(" 2026/11/28/[$LATEST]abc hello", lines[1].TrimEnd('\r'));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ", lines[0]);
    }

    [Fact]
    public async Task Logs_of_a_function_without_a_log_group_exits_1()
    {
        var errors = new StringWriter();
        var code = await LogsTail.RunAsync(new Uri(nephele.Endpoint), "never-invoked", follow: false, new StringWriter(), errors, CancellationToken.None);
        Assert.Equal(1, code);
        Assert.Contains("/aws/lambda/never-invoked", errors.ToString());
    }

    [Fact]
    public async Task Follow_prints_events_as_they_arrive_until_cancelled()
    {
        var name = await Function("first");
        var output = new SyncWriter();
        using var stop = new CancellationTokenSource();
        var run = LogsTail.RunAsync(new Uri(nephele.Endpoint), name, follow: true, output, new StringWriter(), stop.Token, pollInterval: TimeSpan.FromMilliseconds(50));
        await output.WaitFor("first");
        await _logs.PutEvents("/aws/lambda/" + name, "2026/11/28/[$LATEST]abc", (Now + 10, "second"));
        await output.WaitFor("second");
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Single(output.ToString().Split('\n'), l => l.Contains("first", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_unreachable_endpoint_is_one_line_and_exit_code_1()
    {
        var errors = new StringWriter();
        var code = await LogsTail.RunAsync(new Uri("http://127.0.0.1:1"), "fn", follow: false, new StringWriter(), errors, CancellationToken.None);
        Assert.Equal(1, code);
        Assert.Contains("no Nephele answers", errors.ToString());
    }

    /// <summary>A writer the command and the test share across threads.</summary>
    private sealed class SyncWriter : StringWriter
    {
        public override void Write(char value)
        {
            lock (this) base.Write(value);
        }

        public override void Write(string? value)
        {
            lock (this) base.Write(value);
        }

        public override Task WriteLineAsync(string? value)
        {
            lock (this) base.WriteLine(value);
            return Task.CompletedTask;
        }

        public override string ToString()
        {
            lock (this) return base.ToString();
        }

        public async Task WaitFor(string text)
        {
            for (var i = 0; i < 200 && !ToString().Contains(text, StringComparison.Ordinal); i++) await Task.Delay(25);
            Assert.Contains(text, ToString());
        }
    }
}

/// <summary>The command's requests carry valid SigV4 signatures.</summary>
public sealed class LogsTailSignatureTests(SignatureEnforcingFixture nephele) : IClassFixture<SignatureEnforcingFixture>
{
    [Fact]
    public async Task Logs_signs_its_requests_so_a_signature_checking_Nephele_answers()
    {
        var errors = new StringWriter();
        var code = await LogsTail.RunAsync(new Uri(nephele.Endpoint), "signed-fn", follow: false, new StringWriter(), errors, CancellationToken.None);
        Assert.Equal(1, code);
        Assert.Contains("has no logs yet", errors.ToString());
    }
}
