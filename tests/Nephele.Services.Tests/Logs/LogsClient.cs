namespace Nephele.Services.Tests.Logs;

/// <summary>Raw CloudWatch Logs JSON 1.1 requests (AWSSDK.CloudWatchLogs is not on the package mirror).</summary>
public sealed class LogsClient(HttpClient http) : JsonProtocolClient(http, "Logs_20140328", "logs")
{
    public async Task PutEvents(string group, string stream, params (long Timestamp, string Message)[] events) =>
        await Call("PutLogEvents", new Dictionary<string, object>
        {
            ["logGroupName"] = group,
            ["logStreamName"] = stream,
            ["logEvents"] = events.Select(e => new Dictionary<string, object> { ["timestamp"] = e.Timestamp, ["message"] = e.Message }).ToList(),
        });
}
