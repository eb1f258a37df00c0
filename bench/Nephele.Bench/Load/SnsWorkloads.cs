using System.Net;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Nephele.Bench.Cli;

namespace Nephele.Bench.Load;

/// <summary>
/// `sns-publish`: Publish of a 32-byte message to a topic with 10 SQS subscriptions (SNS envelope, signed), so one
/// request is one publish and ten queue deliveries. SNS speaks only the query protocol and AWSSDK.SimpleNotificationService
/// is not on the package mirror, so requests are form posts with a SigV4-shaped Authorization header.
/// </summary>
internal sealed class SnsPublishWorkload : ILoadWorkload
{
    private const int Subscribers = 10;
    private readonly HttpClient _http;
    private readonly AmazonSQSClient _sqs;
    private readonly Uri _endpoint;
    private string _topicArn = "";

    public SnsPublishWorkload(Uri endpoint)
    {
        _endpoint = endpoint;
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(10) };
        _sqs = new AmazonSQSClient(new BasicAWSCredentials("test", "test"),
            new AmazonSQSConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
    }

    public async Task CheckAsync(CancellationToken ct)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var created = await CallAsync([new("Action", "CreateTopic"), new("Name", $"nephele-bench-{id}")], ct);
        _topicArn = Between(created, "<TopicArn>", "</TopicArn>") ?? throw new BenchException($"CreateTopic answered {created}");
        for (var i = 0; i < Subscribers; i++)
        {
            var url = (await _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = $"nephele-bench-{id}-{i}" }, ct)).QueueUrl;
            var arn = (await _sqs.GetQueueAttributesAsync(url, ["QueueArn"], ct)).Attributes["QueueArn"];
            await CallAsync([new("Action", "Subscribe"), new("TopicArn", _topicArn), new("Protocol", "sqs"), new("Endpoint", arn)], ct);
        }
        await SendAsync(ct);
    }

    public Task PrepareAsync(TimeSpan window, CancellationToken ct) => Task.CompletedTask;

    public void Observe(LoadResult result) { }

    public async Task<int> SendAsync(CancellationToken ct)
    {
        await CallAsync([new("Action", "Publish"), new("TopicArn", _topicArn), new("Message", "m-0123456789abcdef0123456789abcd")], ct);
        return 1;
    }

    private async Task<string> CallAsync(KeyValuePair<string, string>[] form, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new FormUrlEncodedContent([.. form, new("Version", "2010-03-31")]) };
        request.Headers.TryAddWithoutValidation("Authorization",
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new BenchException($"SNS {form[0].Value} on {_endpoint} answered {(int)response.StatusCode}: {text}");
        return text;
    }

    private static string? Between(string text, string start, string end)
    {
        var i = text.IndexOf(start, StringComparison.Ordinal);
        if (i < 0) return null;
        i += start.Length;
        var j = text.IndexOf(end, i, StringComparison.Ordinal);
        return j < 0 ? null : text[i..j];
    }

    public void Dispose()
    {
        _http.Dispose();
        _sqs.Dispose();
    }
}
