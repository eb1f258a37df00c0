using System.Text.Json;

namespace Nephele.Services.Tests.Logs;

public sealed class LogFilterTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly LogsClient _logs = new(nephele.Http());

    private async Task<string> NewGroup()
    {
        var group = $"/filters/{Guid.NewGuid():N}";
        await _logs.Call("CreateLogGroup", new { logGroupName = group });
        return group;
    }

    private static object Transformation(string name = "Errors") =>
        new[] { new { metricName = name, metricNamespace = "App", metricValue = "1" } };

    [Fact]
    public async Task Metric_filters_are_upserted_listed_by_name_and_metric_and_deleted()
    {
        var group = await NewGroup();
        await _logs.Call("PutMetricFilter", new { logGroupName = group, filterName = "errors", filterPattern = "ERROR", metricTransformations = Transformation() });
        await _logs.Call("PutMetricFilter", new { logGroupName = group, filterName = "latency", filterPattern = "[ip, user, ms>100]", metricTransformations = Transformation("Slow") });
        await _logs.Call("PutMetricFilter", new { logGroupName = group, filterName = "errors", filterPattern = "?ERROR ?FATAL", metricTransformations = Transformation() });

        var all = (await _logs.Call("DescribeMetricFilters", new { logGroupName = group })).GetProperty("metricFilters");
        Assert.Equal(["errors", "latency"], all.EnumerateArray().Select(f => f.GetProperty("filterName").GetString()));
        Assert.Equal("?ERROR ?FATAL", all[0].GetProperty("filterPattern").GetString());
        Assert.Equal(group, all[0].GetProperty("logGroupName").GetString());

        var byMetric = (await _logs.Call("DescribeMetricFilters", new { metricName = "Slow", metricNamespace = "App" })).GetProperty("metricFilters");
        Assert.Contains(byMetric.EnumerateArray(), f => f.GetProperty("logGroupName").GetString() == group && f.GetProperty("filterName").GetString() == "latency");

        await _logs.Call("DeleteMetricFilter", new { logGroupName = group, filterName = "errors" });
        var (_, code, _) = await _logs.Fail("DeleteMetricFilter", new { logGroupName = group, filterName = "errors" });
        Assert.Equal("ResourceNotFoundException", code);
        Assert.Equal(1, (await _logs.Call("DescribeMetricFilters", new { logGroupName = group })).GetProperty("metricFilters").GetArrayLength());
    }

    [Fact]
    public async Task Metric_filters_page_with_a_token()
    {
        var group = await NewGroup();
        foreach (var name in new[] { "a", "b", "c" })
            await _logs.Call("PutMetricFilter", new { logGroupName = group, filterName = name, filterPattern = "", metricTransformations = Transformation() });
        var first = await _logs.Call("DescribeMetricFilters", new { logGroupName = group, limit = 2 });
        var second = await _logs.Call("DescribeMetricFilters", new { logGroupName = group, limit = 2, nextToken = first.GetProperty("nextToken").GetString() });
        Assert.Equal(["a", "b", "c"], first.GetProperty("metricFilters").EnumerateArray().Concat(second.GetProperty("metricFilters").EnumerateArray())
            .Select(f => f.GetProperty("filterName").GetString()));
        Assert.False(second.TryGetProperty("nextToken", out _));
    }

    [Fact]
    public async Task A_bad_pattern_or_two_transformations_are_refused_and_store_nothing()
    {
        var group = await NewGroup();
        var (_, code, _) = await _logs.Fail("PutMetricFilter", new { logGroupName = group, filterName = "bad", filterPattern = "{ $.a = ", metricTransformations = Transformation() });
        Assert.Equal("InvalidParameterException", code);
        var two = new[] { new { metricName = "A", metricNamespace = "App", metricValue = "1" }, new { metricName = "B", metricNamespace = "App", metricValue = "1" } };
        (_, code, _) = await _logs.Fail("PutMetricFilter", new { logGroupName = group, filterName = "two", filterPattern = "", metricTransformations = two });
        Assert.Equal("ValidationException", code);
        Assert.Equal(0, (await _logs.Call("DescribeMetricFilters", new { logGroupName = group })).GetProperty("metricFilters").GetArrayLength());
    }

    [Fact]
    public async Task TestMetricFilter_reports_matching_messages_with_their_extracted_fields()
    {
        var result = await _logs.Call("TestMetricFilter", new
        {
            filterPattern = "[ip, user, status=5*, ...]",
            logEventMessages = new[] { "10.0.0.1 alice 200 12", "10.0.0.2 bob 503 40", "10.0.0.3 carol 500 7" },
        });
        var matches = result.GetProperty("matches").EnumerateArray().ToList();
        Assert.Equal([2L, 3L], matches.Select(m => m.GetProperty("eventNumber").GetInt64()));
        var values = matches[0].GetProperty("extractedValues");
        Assert.Equal("10.0.0.2", values.GetProperty("$ip").GetString());
        Assert.Equal("503", values.GetProperty("$status").GetString());
    }

    [Fact]
    public async Task Subscription_destinations_must_be_a_service_that_can_receive_them()
    {
        var group = await NewGroup();
        var (_, code, message) = await _logs.Fail("PutSubscriptionFilter", new
        {
            logGroupName = group,
            filterName = "to-queue",
            filterPattern = "",
            destinationArn = "arn:aws:sqs:us-east-1:000000000000:q",
        });
        Assert.Equal("InvalidParameterException", code);
        Assert.Contains("destinationArn", message, StringComparison.Ordinal);
        var listed = await _logs.Call("DescribeSubscriptionFilters", new { logGroupName = group });
        Assert.Equal(JsonValueKind.Array, listed.GetProperty("subscriptionFilters").ValueKind);
        Assert.Equal(0, listed.GetProperty("subscriptionFilters").GetArrayLength());
    }
}
