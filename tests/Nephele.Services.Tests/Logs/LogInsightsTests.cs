using System.Net;
using System.Text.Json;

namespace Nephele.Services.Tests.Logs;

public sealed class LogInsightsTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly LogsClient _logs = new(nephele.Http());

    // Aligned to five minutes, so the events a test puts in the first 5-minute bin (bin(5m)) never straddle two.
    private static readonly long Base = DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeMilliseconds() / 300_000 * 300_000;

    private async Task<string> Group(params (long Offset, string Message)[] events)
    {
        var group = $"/insights/{Guid.NewGuid():N}";
        await _logs.Call("CreateLogGroup", new { logGroupName = group });
        await _logs.Call("CreateLogStream", new { logGroupName = group, logStreamName = "app" });
        if (events.Length > 0) await _logs.PutEvents(group, "app", events.Select(e => (Base + e.Offset, e.Message)).ToArray());
        return group;
    }

    private async Task<JsonElement> Run(string group, string query, int? limit = null)
    {
        var started = await _logs.Call("StartQuery", limit is { } l
            ? new { logGroupName = group, startTime = Base / 1000 - 60, endTime = Base / 1000 + 3600, queryString = query, limit = l }
            : (object)new { logGroupName = group, startTime = Base / 1000 - 60, endTime = Base / 1000 + 3600, queryString = query });
        var id = started.GetProperty("queryId").GetString();
        for (var i = 0; i < 200; i++)
        {
            var results = await _logs.Call("GetQueryResults", new { queryId = id });
            var status = results.GetProperty("status").GetString();
            if (status is not ("Scheduled" or "Running")) return results;
            await Task.Delay(20);
        }
        throw new TimeoutException("the query did not complete");
    }

    private static List<Dictionary<string, string>> Rows(JsonElement results) =>
        results.GetProperty("results").EnumerateArray()
            .Select(r => r.EnumerateArray().ToDictionary(f => f.GetProperty("field").GetString()!, f => f.GetProperty("value").GetString()!))
            .ToList();

    [Fact]
    public async Task A_query_completes_with_the_chosen_fields_a_pointer_and_statistics()
    {
        var group = await Group((0, "GET /a 200"), (1000, "GET /b 500"), (2000, "POST /c 500"));
        var results = await Run(group, "fields @timestamp, @message | filter @message like /500/ | sort @timestamp desc");
        Assert.Equal("Complete", results.GetProperty("status").GetString());
        var rows = Rows(results);
        Assert.Equal(["POST /c 500", "GET /b 500"], rows.Select(r => r["@message"]));
        Assert.Equal(["@timestamp", "@message", "@ptr"], rows[0].Keys);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(Base + 2000).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff"), rows[0]["@timestamp"]);
        var stats = results.GetProperty("statistics");
        Assert.Equal(3, stats.GetProperty("recordsScanned").GetDouble());
        Assert.Equal(2, stats.GetProperty("recordsMatched").GetDouble());
        Assert.Equal("GET /a 200".Length + "GET /b 500".Length + "POST /c 500".Length, stats.GetProperty("bytesScanned").GetDouble());

        var record = await _logs.Call("GetLogRecord", new { logRecordPointer = rows[0]["@ptr"] });
        Assert.Equal("POST /c 500", record.GetProperty("logRecord").GetProperty("@message").GetString());
        Assert.Equal("app", record.GetProperty("logRecord").GetProperty("@logStream").GetString());
    }

    [Fact]
    public async Task Json_fields_are_discovered_with_dotted_names_and_compared_as_numbers()
    {
        var group = await Group(
            (0, """{"level":"INFO","http":{"status":200,"path":"/a"},"ms":12}"""),
            (1, """{"level":"ERROR","http":{"status":503,"path":"/b"},"ms":40}"""),
            (2, """{"level":"ERROR","http":{"status":404,"path":"/c"},"ms":8,"tags":["x","y"]}"""),
            (3, "plain text"));
        var rows = Rows(await Run(group, "filter http.status >= 400 and level = \"ERROR\" | fields http.path, ms * 2 as double, tags.1 | sort ms asc"));
        Assert.Equal(["/c", "/b"], rows.Select(r => r["http.path"]));
        Assert.Equal(["16", "80"], rows.Select(r => r["double"]));
        Assert.Equal("y", rows[0]["tags.1"]);
        Assert.False(rows[1].ContainsKey("tags.1"));

        var inList = Rows(await Run(group, "filter http.status in [200, 404] | fields http.path | sort http.path"));
        Assert.Equal(["/a", "/c"], inList.Select(r => r["http.path"]));
        var absent = Rows(await Run(group, "filter not ispresent(level) | fields @message"));
        Assert.Equal("plain text", Assert.Single(absent)["@message"]);
    }

    [Fact]
    public async Task Stats_count_by_field_and_bin_with_aggregates()
    {
        var group = await Group(
            (0, "user=ann ms=10"), (60_000, "user=bob ms=20"), (61_000, "user=ann ms=30"),
            (400_000, "user=ann ms=40"));
        var byUser = Rows(await Run(group, "parse @message \"user=* ms=*\" as user, ms | stats count(*) as n, sum(ms), avg(ms), min(ms), max(ms) by user | sort n desc"));
        Assert.Equal("ann", byUser[0]["user"]);
        Assert.Equal(("3", "80", "26.666666666666668", "10", "40"), (byUser[0]["n"], byUser[0]["sum(ms)"], byUser[0]["avg(ms)"], byUser[0]["min(ms)"], byUser[0]["max(ms)"]));
        Assert.Equal(("bob", "1"), (byUser[1]["user"], byUser[1]["n"]));
        Assert.False(byUser[0].ContainsKey("@ptr"));

        var bins = Rows(await Run(group, "stats count() by bin(5m)"));
        Assert.Equal(["3", "1"], bins.Select(r => r["count()"]));
        var first = DateTimeOffset.FromUnixTimeMilliseconds(Base - Base % 300_000).UtcDateTime;
        Assert.Equal(first.ToString("yyyy-MM-dd HH:mm:ss.fff"), bins[0]["bin(5m)"]);

        var whole = Assert.Single(Rows(await Run(group, "parse @message /user=(?<who>\\w+) ms=(?<ms>\\d+)/ | stats count_distinct(who) as users, pct(ms, 50) as median, earliest(who) as firstUser, stddev(ms) as sd")));
        Assert.Equal(("2", "20", "ann"), (whole["users"], whole["median"], whole["firstUser"]));
        Assert.StartsWith("12.9", whole["sd"]);
    }

    [Fact]
    public async Task Limit_dedup_display_and_string_functions_shape_the_rows()
    {
        var group = await Group((0, "a-1"), (1, "b-2"), (2, "a-3"), (3, "c-4"));
        var rows = Rows(await Run(group, "parse @message \"*-*\" as letter, n | dedup letter | display letter, upper | fields toupper(letter) as upper | sort letter asc | limit 2"));
        Assert.Equal([("a", "A"), ("b", "B")], rows.Select(r => (r["letter"], r["upper"])));
        Assert.Equal(["letter", "upper", "@ptr"], rows[0].Keys);

        // Without sort the newest events come first, and StartQuery's limit caps the rows.
        var newest = Rows(await Run(group, "fields @message, strlen(@message) as len, concat(@message, \"!\") as loud", limit: 2));
        Assert.Equal(["c-4", "a-3"], newest.Select(r => r["@message"]));
        Assert.Equal(("3", "c-4!"), (newest[0]["len"], newest[0]["loud"]));
    }

    [Fact]
    public async Task Lambda_report_lines_yield_duration_and_memory_fields()
    {
        var group = await Group(
            (0, "START RequestId: r1 Version: $LATEST"),
            (1, "REPORT RequestId: r1\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t"),
            (2, "REPORT RequestId: r2\tDuration: 7.50 ms\tBilled Duration: 8 ms\tMemory Size: 128 MB\tMax Memory Used: 42 MB\tInit Duration: 100.00 ms\t"));
        var row = Assert.Single(Rows(await Run(group,
            "filter @type = \"REPORT\" | stats count() as invocations, avg(@duration) as avgMs, max(@maxMemoryUsed / 1000 / 1000) as maxMb, sum(@billedDuration) as billed")));
        Assert.Equal(("2", "10", "42", "21"), (row["invocations"], row["avgMs"], row["maxMb"], row["billed"]));
    }

    [Fact]
    public async Task Display_after_stats_chooses_among_the_stats_columns()
    {
        var group = await Group((0, "a"), (1, "b"), (2, "a"));
        var rows = Rows(await Run(group, "stats count(*) as n by @message | sort n desc | display n"));
        Assert.Equal(["2", "1"], rows.Select(r => r["n"]));
        Assert.Equal(["n"], rows[0].Keys);
    }

    [Fact]
    public async Task A_syntax_error_is_MalformedQueryException_with_its_location()
    {
        var group = await Group();
        var (status, code, message) = await _logs.Fail("StartQuery", new { logGroupName = group, startTime = 0, endTime = 10, queryString = "fields @message | bogus x" });
        Assert.Equal((HttpStatusCode.BadRequest, "MalformedQueryException"), (status, code));
        Assert.Contains("unexpected symbol found bogus at line 1 and position 19", message);

        var raw = await _logs.FailRaw("StartQuery", new { logGroupName = group, startTime = 0, endTime = 10, queryString = "stats count( by x" });
        var location = raw.GetProperty("queryCompileError").GetProperty("location");
        Assert.True(location.GetProperty("startCharOffset").GetInt32() >= 12);
    }

    [Fact]
    public async Task Unknown_groups_and_bad_windows_are_refused()
    {
        var (_, code, _) = await _logs.Fail("StartQuery", new { logGroupName = "/no/such/group", startTime = 0, endTime = 10, queryString = "fields @message" });
        Assert.Equal("ResourceNotFoundException", code);
        var group = await Group();
        (_, code, _) = await _logs.Fail("StartQuery", new { logGroupName = group, startTime = 10, endTime = 5, queryString = "fields @message" });
        Assert.Equal("InvalidParameterException", code);
        (_, code, _) = await _logs.Fail("StartQuery", new { logGroupName = group, logGroupNames = new[] { group }, startTime = 0, endTime = 5, queryString = "fields @message" });
        Assert.Equal("InvalidParameterException", code);
        (_, code, _) = await _logs.Fail("GetQueryResults", new { queryId = Guid.NewGuid().ToString() });
        Assert.Equal("ResourceNotFoundException", code);
    }

    [Fact]
    public async Task Queries_are_listed_and_a_finished_query_cannot_be_stopped()
    {
        var group = await Group((0, "x"));
        var arn = $"arn:aws:logs:us-east-1:000000000000:log-group:{group}:*";
        var started = await _logs.Call("StartQuery", new { logGroupIdentifiers = new[] { arn }, startTime = Base / 1000 - 60, endTime = Base / 1000 + 60, queryString = "fields @message" });
        var id = started.GetProperty("queryId").GetString()!;
        JsonElement info = default;
        for (var i = 0; i < 200; i++)
        {
            var listed = await _logs.Call("DescribeQueries", new { logGroupName = group });
            info = Assert.Single(listed.GetProperty("queries").EnumerateArray());
            if (info.GetProperty("status").GetString() == "Complete") break;
            await Task.Delay(20);
        }
        Assert.Equal((id, "Complete", "fields @message", group), (info.GetProperty("queryId").GetString(), info.GetProperty("status").GetString(),
            info.GetProperty("queryString").GetString(), info.GetProperty("logGroupName").GetString()));
        var stop = await _logs.Call("StopQuery", new { queryId = id });
        Assert.False(stop.GetProperty("success").GetBoolean());
        var none = await _logs.Call("DescribeQueries", new { logGroupName = group, status = "Running" });
        Assert.Empty(none.GetProperty("queries").EnumerateArray());
    }

    [Fact]
    public async Task Query_definitions_are_saved_updated_listed_and_deleted()
    {
        var name = $"saved-{Guid.NewGuid():N}";
        var put = await _logs.Call("PutQueryDefinition", new { name, queryString = "fields @message", logGroupNames = new[] { "/a" } });
        var id = put.GetProperty("queryDefinitionId").GetString()!;
        await _logs.Call("PutQueryDefinition", new { name, queryDefinitionId = id, queryString = "stats count()" });
        var listed = await _logs.Call("DescribeQueryDefinitions", new { queryDefinitionNamePrefix = name });
        var definition = Assert.Single(listed.GetProperty("queryDefinitions").EnumerateArray());
        Assert.Equal((id, "stats count()"), (definition.GetProperty("queryDefinitionId").GetString(), definition.GetProperty("queryString").GetString()));
        Assert.True((await _logs.Call("DeleteQueryDefinition", new { queryDefinitionId = id })).GetProperty("success").GetBoolean());
        var (_, code, _) = await _logs.Fail("DeleteQueryDefinition", new { queryDefinitionId = id });
        Assert.Equal("ResourceNotFoundException", code);
        (_, code, _) = await _logs.Fail("PutQueryDefinition", new { name, queryDefinitionId = Guid.NewGuid().ToString(), queryString = "fields @message" });
        Assert.Equal("ResourceNotFoundException", code);
    }
}
