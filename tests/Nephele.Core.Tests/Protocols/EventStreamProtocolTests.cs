using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using System.Xml.Linq;
using Amazon.S3.Model;
using Nephele.Core.Models;
using Nephele.Core.Protocols;
using Nephele.Core.Protocols.EventStream;
using Nephele.Core.Protocols.Json;
using Nephele.Core.Protocols.Rest;
using Nephele.Core.Protocols.RestXml;

namespace Nephele.Core.Tests.Protocols;

/// <summary>
/// Operations that stream events, rendered by each protocol from the real models: the body is a live
/// <c>application/vnd.amazon.eventstream</c> of the messages SDKs decode, produced as the handler yields.
/// </summary>
public sealed class EventStreamProtocolTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Lambda_response_streaming_sends_payload_chunks_then_invoke_complete()
    {
        var lambda = Models.Load("lambda");
        var response = new RestJsonProtocol().Serialize(lambda, lambda.Operations["InvokeWithResponseStream"], new()
        {
            ["StatusCode"] = 200,
            ["ExecutedVersion"] = "$LATEST",
            // The function's own content type; the HTTP body is still the event stream around it.
            ["ResponseStreamContentType"] = "application/json",
            ["EventStream"] = Events(
                Event("PayloadChunk", new() { ["Payload"] = "{\"part\":"u8.ToArray() }),
                Event("PayloadChunk", new() { ["Payload"] = "1}"u8.ToArray() }),
                Event("InvokeComplete", new() { ["LogResult"] = "U1RBUlQ=" })),
        }, "req-1");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("$LATEST", response.Headers.Get("X-Amz-Executed-Version"));
        Assert.Equal("application/vnd.amazon.eventstream", response.ContentType);
        Assert.Null(response.Body);
        var messages = await ReadAllAsync(response);

        Assert.Equal(["PayloadChunk", "PayloadChunk", "InvokeComplete"], messages.Select(m => m.EventType));
        Assert.All(messages, m => Assert.Equal("event", m.MessageType));
        Assert.Equal("application/octet-stream", messages[0].StringHeader(":content-type"));
        Assert.Equal("{\"part\":1}", Encoding.UTF8.GetString([.. messages[0].Payload.ToArray(), .. messages[1].Payload.ToArray()]));
        Assert.Equal("application/json", messages[2].StringHeader(":content-type"));
        BodyAssert.JsonEqual("""{"LogResult":"U1RBUlQ="}""", Encoding.UTF8.GetString(messages[2].Payload.Span), "InvokeComplete");
    }

    [Fact]
    public async Task Kinesis_subscription_opens_with_an_initial_response_then_sends_shard_events()
    {
        var kinesis = Models.Load("kinesis");
        var arrived = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var response = new JsonProtocol().Serialize(kinesis, kinesis.Operations["SubscribeToShard"], new()
        {
            ["EventStream"] = Events(Event("SubscribeToShardEvent", new()
            {
                ["Records"] = new List<object?>
                {
                    new Dictionary<string, object?>
                    {
                        ["SequenceNumber"] = "4959", ["ApproximateArrivalTimestamp"] = arrived,
                        ["Data"] = "hello"u8.ToArray(), ["PartitionKey"] = "pk",
                    },
                },
                ["ContinuationSequenceNumber"] = "4960",
                ["MillisBehindLatest"] = 0L,
            })),
        }, "req-2");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("req-2", response.Headers.Get("x-amzn-RequestId"));
        Assert.Equal("application/vnd.amazon.eventstream", response.ContentType);
        var messages = await ReadAllAsync(response);

        Assert.Equal(["initial-response", "SubscribeToShardEvent"], messages.Select(m => m.EventType));
        Assert.All(messages, m => Assert.Equal(("event", "application/json"), (m.MessageType, m.StringHeader(":content-type"))));
        Assert.Equal("{}", Encoding.UTF8.GetString(messages[0].Payload.Span));
        BodyAssert.JsonEqual("""
            {"Records":[{"SequenceNumber":"4959","ApproximateArrivalTimestamp":1700000000,"Data":"aGVsbG8=","PartitionKey":"pk"}],
             "ContinuationSequenceNumber":"4960","MillisBehindLatest":0}
            """, Encoding.UTF8.GetString(messages[1].Payload.Span), "SubscribeToShardEvent");
    }

    [Fact]
    public async Task S3_select_sends_records_stats_and_end_as_S3_does()
    {
        var response = SelectObjectContent(Events(
            Event("Records", new() { ["Payload"] = "a,1\nb,2\n"u8.ToArray() }),
            Event("Stats", new() { ["Details"] = new Dictionary<string, object?> { ["BytesScanned"] = 16L, ["BytesProcessed"] = 16L, ["BytesReturned"] = 8L } }),
            Event("End", [])));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("req-3", response.Headers.Get("x-amz-request-id"));
        Assert.Equal("application/vnd.amazon.eventstream", response.ContentType);
        var messages = await ReadAllAsync(response);

        Assert.Equal(["Records", "Stats", "End"], messages.Select(m => m.EventType));
        Assert.Equal("application/octet-stream", messages[0].StringHeader(":content-type"));
        Assert.Equal("a,1\nb,2\n", Encoding.UTF8.GetString(messages[0].Payload.Span));
        Assert.Equal("text/xml", messages[1].StringHeader(":content-type"));
        var stats = Encoding.UTF8.GetString(messages[1].Payload.Span);
        Assert.StartsWith("<Stats>", stats, StringComparison.Ordinal);
        var root = XElement.Parse(stats);
        Assert.Equal(("16", "16", "8"), ((string?)root.Element("BytesScanned"), (string?)root.Element("BytesProcessed"), (string?)root.Element("BytesReturned")));
        // S3's End carries neither payload nor content type.
        Assert.Null(messages[2].StringHeader(":content-type"));
        Assert.True(messages[2].Payload.IsEmpty);
    }

    [Fact]
    public void The_AWS_SDK_for_dotnet_reads_an_S3_select_stream()
    {
        var response = SelectObjectContent(Events(
            Event("Records", new() { ["Payload"] = "x,y\n"u8.ToArray() }),
            Event("Stats", new() { ["Details"] = new Dictionary<string, object?> { ["BytesScanned"] = 4L, ["BytesProcessed"] = 4L, ["BytesReturned"] = 4L } }),
            Event("End", [])));

        using var events = new SelectObjectContentEventStream(response.BodyStream!);
        var received = events.ToList();

        Assert.Collection(received,
            e => Assert.Equal("x,y\n", new StreamReader(Assert.IsType<RecordsEvent>(e).Payload).ReadToEnd()),
            e => Assert.Equal(4L, Assert.IsType<StatsEvent>(e).Details.BytesScanned),
            e => Assert.IsType<EndEvent>(e));
    }

    [Fact]
    public void The_AWS_SDK_for_dotnet_raises_a_mid_stream_S3_error_after_the_records_before_it()
    {
        var response = SelectObjectContent(Failing(new AwsException("InternalError", "We encountered an internal error.", 500, false),
            Event("Records", new() { ["Payload"] = "x\n"u8.ToArray() })));

        using var events = new SelectObjectContentEventStream(response.BodyStream!);
        using var enumerator = events.GetEnumerator();

        Assert.True(enumerator.MoveNext());
        Assert.IsType<RecordsEvent>(enumerator.Current);
        // The SDK reads :error-code as an int32 where AWS (and every other SDK) has a string, so it loses the code
        // and reports a bare S3EventStreamException, as it does against S3 itself.
        Assert.Throws<S3EventStreamException>(() => enumerator.MoveNext());
    }

    [Fact]
    public async Task A_modeled_error_mid_stream_ends_it_with_an_exception_message()
    {
        var kinesis = Models.Load("kinesis");
        var response = new JsonProtocol().Serialize(kinesis, kinesis.Operations["SubscribeToShard"], new()
        {
            ["EventStream"] = Failing(new AwsException("ResourceNotFoundException", "Shard shardId-000 was deleted."),
                Event("SubscribeToShardEvent", new() { ["Records"] = new List<object?>(), ["ContinuationSequenceNumber"] = "1", ["MillisBehindLatest"] = 0L })),
        }, "req-4");

        var messages = await ReadAllAsync(response);

        Assert.Equal(["event", "event", "exception"], messages.Select(m => m.MessageType));
        var error = messages[^1];
        Assert.Equal("ResourceNotFoundException", error.StringHeader(":exception-type"));
        Assert.Equal("application/json", error.StringHeader(":content-type"));
        BodyAssert.JsonEqual("""{"message":"Shard shardId-000 was deleted."}""", Encoding.UTF8.GetString(error.Payload.Span), "exception");
    }

    [Fact]
    public async Task An_unmodeled_error_mid_stream_ends_it_with_an_error_message()
    {
        var response = SelectObjectContent(Failing(new AwsException("InternalError", "We encountered an internal error. Please try again.", 500, false),
            Event("Records", new() { ["Payload"] = "a\n"u8.ToArray() })));

        var messages = await ReadAllAsync(response);

        Assert.Equal(["event", "error"], messages.Select(m => m.MessageType));
        Assert.Equal("InternalError", messages[1].StringHeader(":error-code"));
        Assert.Equal("We encountered an internal error. Please try again.", messages[1].StringHeader(":error-message"));
        Assert.True(messages[1].Payload.IsEmpty);
    }

    [Fact]
    public async Task An_unexpected_exception_mid_stream_is_an_internal_failure_that_keeps_its_details_private()
    {
        var response = SelectObjectContent(Failing(new InvalidOperationException("connection string with a password")));

        var messages = await ReadAllAsync(response);

        var error = Assert.Single(messages);
        Assert.Equal(("error", "InternalFailure"), (error.MessageType, error.StringHeader(":error-code")));
        Assert.DoesNotContain("password", error.StringHeader(":error-message"), StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(Assert.IsType<OutgoingEventStream>(response.BodyStream).Fault);
    }

    [Fact]
    public async Task The_initial_response_and_each_event_are_sent_before_the_handler_yields_the_next()
    {
        var kinesis = Models.Load("kinesis");
        var events = Channel.CreateUnbounded<Dictionary<string, object?>>();
        var response = new JsonProtocol().Serialize(kinesis, kinesis.Operations["SubscribeToShard"],
            new() { ["EventStream"] = events.Reader.ReadAllAsync() }, "req-5");
        await using var body = response.BodyStream!;
        var reader = new EventStreamReader(body);

        // The SDK call returns on the initial-response, before any record exists.
        Assert.Equal("initial-response", (await NextAsync(reader))?.EventType);
        await events.Writer.WriteAsync(ShardEvent("1"));
        Assert.Equal("1", JsonDocument.Parse((await NextAsync(reader))!.Payload).RootElement.GetProperty("ContinuationSequenceNumber").GetString());
        await events.Writer.WriteAsync(ShardEvent("2"));
        Assert.Equal("2", JsonDocument.Parse((await NextAsync(reader))!.Payload).RootElement.GetProperty("ContinuationSequenceNumber").GetString());
        events.Writer.Complete();
        Assert.Null(await NextAsync(reader));
    }

    [Fact]
    public async Task Closing_the_response_stops_the_handlers_event_source()
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var response = SelectObjectContent(Endless(stopped));
        var body = response.BodyStream!;
        var reader = new EventStreamReader(body);
        Assert.Equal("Records", (await NextAsync(reader))?.EventType);

        await body.DisposeAsync();

        await stopped.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_cancelled_read_cancels_the_handlers_event_source()
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var response = SelectObjectContent(Stalled(stopped));
        await using var body = response.BodyStream!;
        using var cancel = new CancellationTokenSource();

        var read = body.ReadAsync(new byte[64], cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(Patience));
        await stopped.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task An_absent_event_stream_is_a_stream_without_events()
    {
        var s3 = Models.Load("s3");
        var response = new RestXmlProtocol().Serialize(s3, s3.Operations["SelectObjectContent"], [], "req-6");

        Assert.Equal("application/vnd.amazon.eventstream", response.ContentType);
        Assert.Empty(await ReadAllAsync(response));
    }

    [Fact]
    public void Events_in_any_other_form_are_a_handler_bug_reported_before_the_response_starts()
    {
        var s3 = Models.Load("s3");
        var output = new Dictionary<string, object?> { ["Payload"] = new List<object?> { Event("End", []) } };

        Assert.Throws<InvalidOperationException>(() => new RestXmlProtocol().Serialize(s3, s3.Operations["SelectObjectContent"], output, "r"));
    }

    private static AwsResponse SelectObjectContent(IAsyncEnumerable<Dictionary<string, object?>> events)
    {
        var s3 = Models.Load("s3");
        return new RestXmlProtocol().Serialize(s3, s3.Operations["SelectObjectContent"], new() { ["Payload"] = events }, "req-3");
    }

    private static Dictionary<string, object?> Event(string type, Dictionary<string, object?> value) => new() { [type] = value };

    private static Dictionary<string, object?> ShardEvent(string continuation) => Event("SubscribeToShardEvent", new()
    {
        ["Records"] = new List<object?>(),
        ["ContinuationSequenceNumber"] = continuation,
        ["MillisBehindLatest"] = 0L,
    });

    private static async IAsyncEnumerable<Dictionary<string, object?>> Events(params Dictionary<string, object?>[] events)
    {
        foreach (var e in events)
        {
            await Task.Yield();
            yield return e;
        }
    }

    private static async IAsyncEnumerable<Dictionary<string, object?>> Failing(Exception error, params Dictionary<string, object?>[] before)
    {
        await foreach (var e in Events(before)) yield return e;
        throw error;
    }

    private static async IAsyncEnumerable<Dictionary<string, object?>> Endless(TaskCompletionSource stopped)
    {
        try
        {
            while (true)
            {
                await Task.Yield();
                yield return Event("Records", new() { ["Payload"] = "row\n"u8.ToArray() });
            }
        }
        finally
        {
            stopped.TrySetResult();
        }
    }

    private static async IAsyncEnumerable<Dictionary<string, object?>> Stalled(TaskCompletionSource stopped, [EnumeratorCancellation] CancellationToken ct = default)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
            yield break;
        }
        finally
        {
            stopped.TrySetResult();
        }
    }

    private static async Task<EventStreamMessage?> NextAsync(EventStreamReader reader) => await reader.ReadAsync().AsTask().WaitAsync(Patience);

    private static async Task<List<EventStreamMessage>> ReadAllAsync(AwsResponse response)
    {
        Assert.NotNull(response.BodyStream);
        Assert.False(response.BodyStream.CanSeek);
        await using var body = response.BodyStream;
        var reader = new EventStreamReader(body);
        var messages = new List<EventStreamMessage>();
        while (await NextAsync(reader) is { } message) messages.Add(message);
        return messages;
    }
}
