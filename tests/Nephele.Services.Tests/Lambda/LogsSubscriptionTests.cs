using System.IO.Compression;
using System.Text.Json;
using Nephele.Services.Tests.Logs;

namespace Nephele.Services.Tests.Lambda;

/// <summary>CloudWatch Logs subscription filters deliver matching events to a Lambda function.</summary>
public sealed class LogsSubscriptionTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly LambdaClient _lambda = new(nephele.Http());
    private readonly LogsClient _logs = new(nephele.Http());

    [Fact]
    public async Task Matching_events_reach_the_function_as_a_gzipped_awslogs_data_message()
    {
        var (name, file) = await _lambda.RecorderFunction("logsub");
        var group = $"/subscribed/{Guid.NewGuid():N}";
        await _logs.Call("CreateLogGroup", new { logGroupName = group });
        await _logs.Call("CreateLogStream", new { logGroupName = group, logStreamName = "app" });
        await _logs.Call("PutSubscriptionFilter", new
        {
            logGroupName = group,
            filterName = "errors",
            filterPattern = "ERROR",
            destinationArn = $"arn:aws:lambda:us-east-1:000000000000:function:{name}",
        });
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _logs.Call("PutLogEvents", new
        {
            logGroupName = group,
            logStreamName = "app",
            logEvents = new[] { new { timestamp = now, message = "INFO fine" }, new { timestamp = now + 1, message = "ERROR broken" } },
        });

        var invocation = (await LambdaAsyncSupport.Events(file, 1))[0];
        var compressed = Convert.FromBase64String(invocation.GetProperty("awslogs").GetProperty("data").GetString()!);
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        var message = JsonDocument.Parse(gzip).RootElement;
        Assert.Equal(("DATA_MESSAGE", "000000000000", group, "app"), (message.GetProperty("messageType").GetString(),
            message.GetProperty("owner").GetString(), message.GetProperty("logGroup").GetString(), message.GetProperty("logStream").GetString()));
        Assert.Equal(["errors"], message.GetProperty("subscriptionFilters").EnumerateArray().Select(f => f.GetString()));
        var events = message.GetProperty("logEvents").EnumerateArray().ToList();
        Assert.Equal(["ERROR broken"], events.Select(e => e.GetProperty("message").GetString()));
        Assert.Equal(now + 1, events[0].GetProperty("timestamp").GetInt64());
        Assert.Matches("^[0-9]{37}$", events[0].GetProperty("id").GetString());

        var filters = (await _logs.Call("DescribeSubscriptionFilters", new { logGroupName = group })).GetProperty("subscriptionFilters");
        Assert.Equal(name, filters[0].GetProperty("destinationArn").GetString()!.Split(':')[^1]);
    }
}
