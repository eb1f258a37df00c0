using System.Net.Http.Json;
using System.Text.Json;

namespace Nephele.Services.Tests.Logs;

public sealed class LogEventTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly LogsClient _logs = new(nephele.Http());

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private async Task<string> NewStream(string stream = "main")
    {
        var group = $"/events/{Guid.NewGuid():N}";
        await _logs.Call("CreateLogGroup", new { logGroupName = group });
        await _logs.Call("CreateLogStream", new { logGroupName = group, logStreamName = stream });
        return group;
    }

    private static List<string> Messages(JsonElement result) =>
        result.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();

    [Fact]
    public async Task Events_out_of_chronological_order_are_refused()
    {
        var group = await NewStream();
        var (_, code, message) = await _logs.Fail("PutLogEvents", new
        {
            logGroupName = group,
            logStreamName = "main",
            logEvents = new[] { new { timestamp = Now, message = "b" }, new { timestamp = Now - 1000, message = "a" } },
        });
        Assert.Equal(("InvalidParameterException", "Log events in a single PutLogEvents request must be in chronological order."), (code, message));
    }

    [Fact]
    public async Task Too_old_and_too_new_events_are_rejected_with_their_indexes()
    {
        var group = await NewStream();
        var now = Now;
        var old = await _logs.Call("PutLogEvents", new
        {
            logGroupName = group,
            logStreamName = "main",
            logEvents = new[]
            {
                new { timestamp = now - 15L * 86_400_000 + 3_600_000, message = "ancient" },
                new { timestamp = now - 14L * 86_400_000 + 3_600_000, message = "kept" },
            },
        });
        Assert.Equal(1, old.GetProperty("rejectedLogEventsInfo").GetProperty("tooOldLogEventEndIndex").GetInt32());
        var future = await _logs.Call("PutLogEvents", new
        {
            logGroupName = group,
            logStreamName = "main",
            logEvents = new[] { new { timestamp = now, message = "now" }, new { timestamp = now + 3L * 3_600_000, message = "future" } },
        });
        Assert.Equal(1, future.GetProperty("rejectedLogEventsInfo").GetProperty("tooNewLogEventStartIndex").GetInt32());
        var (_, code, message) = await _logs.Fail("PutLogEvents", new
        {
            logGroupName = group,
            logStreamName = "main",
            logEvents = new[] { new { timestamp = now - 2L * 86_400_000, message = "a" }, new { timestamp = now, message = "b" } },
        });
        Assert.Equal(("InvalidParameterException", "The batch of log events in a single PutLogEvents request cannot span more than 24 hours."), (code, message));

        var events = await _logs.Call("GetLogEvents", new { logGroupName = group, logStreamName = "main", startFromHead = true });
        Assert.Equal(["kept", "now"], Messages(events));
    }

    [Fact]
    public async Task Get_reads_forward_with_tokens_and_returns_the_same_token_at_the_end()
    {
        var group = await NewStream();
        var now = Now;
        await _logs.PutEvents(group, "main", Enumerable.Range(0, 5).Select(i => (now + i, $"m{i}")).ToArray());

        var first = await _logs.Call("GetLogEvents", new { logGroupName = group, logStreamName = "main", startFromHead = true, limit = 2 });
        Assert.Equal(["m0", "m1"], Messages(first));
        var second = await _logs.Call("GetLogEvents", new { logGroupName = group, logStreamName = "main", limit = 2, nextToken = first.GetProperty("nextForwardToken").GetString() });
        Assert.Equal(["m2", "m3"], Messages(second));
        var third = await _logs.Call("GetLogEvents", new { logGroupName = group, logStreamName = "main", limit = 2, nextToken = second.GetProperty("nextForwardToken").GetString() });
        Assert.Equal(["m4"], Messages(third));
        var token = third.GetProperty("nextForwardToken").GetString();
        var end = await _logs.Call("GetLogEvents", new { logGroupName = group, logStreamName = "main", limit = 2, nextToken = token });
        Assert.Empty(Messages(end));
        Assert.Equal(token, end.GetProperty("nextForwardToken").GetString());

        var back = await _logs.Call("GetLogEvents", new { logGroupName = group, logStreamName = "main", limit = 2, nextToken = second.GetProperty("nextBackwardToken").GetString() });
        Assert.Equal(["m0", "m1"], Messages(back));
        var tail = await _logs.Call("GetLogEvents", new { logGroupName = group, logStreamName = "main", limit = 2 });
        Assert.Equal(["m3", "m4"], Messages(tail));
    }

    [Fact]
    public async Task Filter_matches_terms_phrases_exclusions_and_json_across_streams()
    {
        var group = await NewStream("a");
        await _logs.Call("CreateLogStream", new { logGroupName = group, logStreamName = "b" });
        var now = Now;
        await _logs.PutEvents(group, "a", (now, "ERROR disk full"), (now + 2, "INFO all good"), (now + 4, "{\"level\":\"ERROR\",\"code\":503}"));
        await _logs.PutEvents(group, "b", (now + 1, "ERROR timeout talking to db"), (now + 3, "WARN slow query"));

        async Task<List<string>> Filter(string pattern) => Messages(await _logs.Call("FilterLogEvents", new { logGroupName = group, filterPattern = pattern }));

        Assert.Equal(["ERROR disk full", "ERROR timeout talking to db", "{\"level\":\"ERROR\",\"code\":503}"], await Filter("ERROR"));
        Assert.Equal(["ERROR timeout talking to db"], await Filter("ERROR -disk -level"));
        Assert.Equal(["ERROR timeout talking to db"], await Filter("\"timeout talking\""));
        Assert.Equal(["INFO all good", "WARN slow query"], await Filter("?INFO ?WARN"));
        Assert.Equal(["{\"level\":\"ERROR\",\"code\":503}"], await Filter("{ $.level = \"ERR*\" && $.code >= 500 }"));
        Assert.Empty(await Filter("{ $.code < 500 }"));

        var onlyB = await _logs.Call("FilterLogEvents", new { logGroupName = group, logStreamNames = new[] { "b" } });
        Assert.All(onlyB.GetProperty("events").EnumerateArray(), e => Assert.Equal("b", e.GetProperty("logStreamName").GetString()));
        var paged = await _logs.Call("FilterLogEvents", new { logGroupName = group, limit = 3 });
        Assert.Equal(3, Messages(paged).Count);
        var rest = await _logs.Call("FilterLogEvents", new { logGroupName = group, limit = 3, nextToken = paged.GetProperty("nextToken").GetString() });
        Assert.Equal(["WARN slow query", "{\"level\":\"ERROR\",\"code\":503}"], Messages(rest));
    }

    [Fact]
    public async Task Streams_are_ordered_by_last_event_time_descending()
    {
        var group = await NewStream("early");
        await _logs.Call("CreateLogStream", new { logGroupName = group, logStreamName = "late" });
        await _logs.PutEvents(group, "late", (Now, "x"));
        await _logs.PutEvents(group, "early", (Now - 60_000, "y"));
        var streams = await _logs.Call("DescribeLogStreams", new { logGroupName = group, orderBy = "LastEventTime", descending = true });
        Assert.Equal(["late", "early"], streams.GetProperty("logStreams").EnumerateArray().Select(s => s.GetProperty("logStreamName").GetString()));
        var (_, code, _) = await _logs.Fail("DescribeLogStreams", new { logGroupName = group, orderBy = "LastEventTime", logStreamNamePrefix = "l" });
        Assert.Equal("InvalidParameterException", code);
    }
}

/// <summary>Moves the clock of its own server.</summary>
public sealed class LogRetentionTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task Events_older_than_the_retention_disappear_when_the_clock_passes_them()
    {
        using var http = nephele.Http();
        var logs = new LogsClient(http);
        await logs.Call("CreateLogGroup", new { logGroupName = "/retained" });
        await logs.Call("CreateLogStream", new { logGroupName = "/retained", logStreamName = "s" });
        await logs.Call("PutRetentionPolicy", new { logGroupName = "/retained", retentionInDays = 1 });
        await logs.PutEvents("/retained", "s", (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "short-lived"));
        (await http.PostAsync("/_nephele/clock", JsonContent.Create(new Dictionary<string, string> { ["advance"] = "P2D" }))).EnsureSuccessStatusCode();
        var events = await logs.Call("GetLogEvents", new { logGroupName = "/retained", logStreamName = "s" });
        Assert.Empty(events.GetProperty("events").EnumerateArray());
    }
}
