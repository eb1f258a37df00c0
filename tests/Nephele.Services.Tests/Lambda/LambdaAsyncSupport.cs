using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Nephele.Services.Tests.Sqs;

namespace Nephele.Services.Tests.Lambda;

/// <summary>
/// Functions for asynchronous tests append every event they get to a file (functions are local processes), so a
/// test sees each attempt without sleeping: it polls the file, and the queues, with a short deadline.
/// </summary>
internal static class LambdaAsyncSupport
{
    /// <summary>Records the event; throws when the event (or FAIL=always) says so; reports SQS items whose body is "bad" as failed.</summary>
    public const string Recorder = """
        const fs = require('fs');
        exports.handler = async (event) => {
          fs.appendFileSync(process.env.OUT, JSON.stringify(event) + '\n');
          if (process.env.FAIL === 'always' || event.fail) { const e = new Error('boom'); e.name = 'BoomError'; throw e; }
          if (event.Records && event.Records[0] && event.Records[0].eventSource === 'aws:sqs')
            return { batchItemFailures: event.Records.filter(r => r.body === 'bad').map(r => ({ itemIdentifier: r.messageId })) };
          return { ok: true, got: event };
        };
        """;

    /// <summary>A recorder function and the file it writes to.</summary>
    public static async Task<(string Name, string File)> RecorderFunction(this LambdaClient lambda, string prefix, bool fail = false, object? extra = null)
    {
        var name = LambdaClient.Unique(prefix);
        var file = Path.Combine(Path.GetTempPath(), $"nephele-{name}.jsonl");
        var variables = new Dictionary<string, string> { ["OUT"] = file };
        if (fail) variables["FAIL"] = "always";
        var body = new Dictionary<string, object?> { ["Environment"] = new { Variables = variables } };
        if (extra is not null)
            foreach (var p in JsonSerializer.SerializeToElement(extra, extra.GetType()).EnumerateObject()) body[p.Name] = p.Value;
        await lambda.CreateOk(name, "nodejs20.x", "index.handler", LambdaClient.Zip(("index.js", Recorder)), body);
        return (name, file);
    }

    /// <summary>The events recorded so far, once there are at least <paramref name="count"/> (fails after a deadline).</summary>
    public static async Task<List<JsonElement>> Events(string file, int count, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var lines = File.Exists(file) ? File.ReadAllLines(file).Where(l => l.Length > 0).ToList() : [];
            if (lines.Count >= count) return [.. lines.Select(l => JsonDocument.Parse(l).RootElement.Clone())];
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} invocations in {file}, saw {lines.Count}");
            await Task.Delay(25);
        }
    }

    /// <summary>Receives from a queue until a message arrives (fails after a deadline).</summary>
    public static async Task<Message> ReceiveOne(this AmazonSQSClient sqs, string url, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var messages = await sqs.Receive(url, 1, visibility: 300, wait: 1);
            if (messages.Count > 0) return messages[0];
            Assert.True(DateTime.UtcNow < deadline, $"no message arrived in {url}");
        }
    }

    public static async Task<string> QueueArn(this AmazonSQSClient sqs, string url) => (await sqs.Attributes(url, "QueueArn"))["QueueArn"];

    /// <summary>Waits until a queue has no messages left, visible or in flight.</summary>
    public static async Task Drained(this AmazonSQSClient sqs, string url, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var a = await sqs.Attributes(url, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible");
            if (a["ApproximateNumberOfMessages"] == "0" && a["ApproximateNumberOfMessagesNotVisible"] == "0") return;
            Assert.True(DateTime.UtcNow < deadline, $"queue {url} still holds messages: {string.Join(", ", a)}");
            await Task.Delay(25);
        }
    }
}
