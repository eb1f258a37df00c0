using System.Text;
using System.Text.Json;
using Nephele.Core.Protocols.EventStream;

namespace Nephele.Services.Tests.Logs;

public sealed class LiveTailTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly LogsClient _logs = new(nephele.Http());
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private async Task<HttpResponseMessage> StartLiveTail(HttpClient http, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8) };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "Logs_20140328.StartLiveTail");
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=00");
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    [Fact]
    public async Task Live_tail_streams_matching_events_that_arrive_after_the_start()
    {
        var group = $"/tail/{Guid.NewGuid():N}";
        await _logs.Call("CreateLogGroup", new { logGroupName = group });
        await _logs.Call("CreateLogStream", new { logGroupName = group, logStreamName = "app" });
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _logs.PutEvents(group, "app", (now, "ERROR before the tail"));

        using var http = nephele.Http();
        using var response = await StartLiveTail(http, new { logGroupIdentifiers = new[] { $"arn:aws:logs:us-east-1:000000000000:log-group:{group}" }, logEventFilterPattern = "ERROR" });
        Assert.Equal("application/vnd.amazon.eventstream", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync();
        var reader = new EventStreamReader(body);
        Assert.Equal("initial-response", (await Next(reader))!.EventType);
        var start = (await Next(reader))!;
        Assert.Equal("sessionStart", start.EventType);
        Assert.Equal("ERROR", JsonDocument.Parse(start.Payload).RootElement.GetProperty("logEventFilterPattern").GetString());

        await _logs.PutEvents(group, "app", (now + 1, "INFO ignored"), (now + 2, "ERROR after the tail"));
        List<JsonElement> results = [];
        for (var i = 0; i < 20 && results.Count == 0; i++)
        {
            var update = (await Next(reader))!;
            Assert.Equal("sessionUpdate", update.EventType);
            results = JsonDocument.Parse(update.Payload).RootElement.GetProperty("sessionResults").EnumerateArray().ToList();
        }
        var only = Assert.Single(results);
        Assert.Equal(("ERROR after the tail", "app"), (only.GetProperty("message").GetString(), only.GetProperty("logStreamName").GetString()));
        Assert.EndsWith(group, only.GetProperty("logGroupIdentifier").GetString());
    }

    [Fact]
    public async Task Live_tail_of_an_unknown_group_is_ResourceNotFound()
    {
        var (_, code, _) = await _logs.Fail("StartLiveTail", new { logGroupIdentifiers = new[] { "arn:aws:logs:us-east-1:000000000000:log-group:/no/such" } });
        Assert.Equal("ResourceNotFoundException", code);
    }

    private static async Task<EventStreamMessage?> Next(EventStreamReader reader) => await reader.ReadAsync().AsTask().WaitAsync(Patience);
}
