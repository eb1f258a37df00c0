using System.Threading.Channels;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Nephele.Core.Gateway;

namespace Nephele.Core.Tests.Protocols;

/// <summary>
/// An event stream through the whole gateway (Kestrel on a free port) to the AWS SDK for .NET: each event
/// reaches the client when the handler yields it, not when the stream ends.
/// </summary>
public sealed class EventStreamOverHttpTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>S3 Select that streams whatever the test writes into the channel.</summary>
    private sealed class ChannelSelect(Channel<Dictionary<string, object?>> events) : IAwsProvider
    {
        public string ServiceName => "s3";

        public void Register(OperationRegistry operations) => operations.On("SelectObjectContent",
            (context, _) => new Dictionary<string, object?> { ["Payload"] = events.Reader.ReadAllAsync(context.Aborted) });
    }

    [Fact]
    public async Task The_SDK_receives_each_S3_select_event_before_the_handler_has_the_next()
    {
        var events = Channel.CreateUnbounded<Dictionary<string, object?>>();
        await using var server = NepheleServer.Create(new NepheleOptions { Port = 0, Ephemeral = true, LogLevel = LogLevel.Warning },
            _ => [new ChannelSelect(events)]);
        await server.StartAsync();
        using var s3 = new AmazonS3Client(new BasicAWSCredentials("test", "test"),
            new AmazonS3Config { ServiceURL = server.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

        await events.Writer.WriteAsync(new() { ["Records"] = new Dictionary<string, object?> { ["Payload"] = "a,1\n"u8.ToArray() } });
        var response = await s3.SelectObjectContentAsync(new SelectObjectContentRequest
        {
            BucketName = "reports",
            Key = "q1.csv",
            Expression = "select * from s3object",
            ExpressionType = ExpressionType.SQL,
            InputSerialization = new InputSerialization { CSV = new CSVInput() },
            OutputSerialization = new OutputSerialization { CSV = new CSVOutput() },
        }).WaitAsync(Patience);
        using var payload = response.Payload;
        using var received = payload.GetEnumerator();

        Assert.True(await NextAsync(received));
        Assert.Equal("a,1\n", new StreamReader(Assert.IsType<RecordsEvent>(received.Current).Payload).ReadToEnd());
        await events.Writer.WriteAsync(new() { ["End"] = new Dictionary<string, object?>() });
        events.Writer.Complete();
        Assert.True(await NextAsync(received));
        Assert.IsType<EndEvent>(received.Current);
        Assert.False(await NextAsync(received));
    }

    // The SDK's enumerator blocks on the network; a stalled stream fails the test instead of hanging it.
    private static Task<bool> NextAsync(IEnumerator<IS3Event> events) => Task.Run(events.MoveNext).WaitAsync(Patience);
}
