using System.Net.Http.Json;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Nephele.Core.Gateway;
using Nephele.Services.Tests.Lambda;
using Nephele.Services.Tests.Sns;
using Nephele.Services.Tests.Sqs;

namespace Nephele.Services.Tests.S3;

/// <summary>Event notifications go through S3's durable outbox: in order, retried while a destination is missing, resumed after a restart.</summary>
public sealed class S3NotificationDeliveryTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly AmazonS3Client _s3 = S3TestClient.Create(nephele);
    private readonly AmazonSQSClient _sqs = nephele.Sqs();

    private static List<JsonElement> Records(IEnumerable<Message> messages) =>
        [.. messages.Select(m => JsonDocument.Parse(m.Body).RootElement).Where(m => m.TryGetProperty("Records", out _)).Select(m => m.GetProperty("Records")[0].Clone())];

    private static string KeyOf(JsonElement record) => record.GetProperty("s3").GetProperty("object").GetProperty("key").GetString()!;

    private static string SequencerOf(JsonElement record) => record.GetProperty("s3").GetProperty("object").GetProperty("sequencer").GetString()!;

    private static PutBucketNotificationRequest ToQueue(string bucket, string queueArn) => new()
    {
        BucketName = bucket,
        QueueConfigurations = [new QueueConfiguration { Id = "q", Queue = queueArn, Events = [EventType.ObjectCreatedAll, EventType.ObjectRemovedAll] }],
    };

    [Fact]
    public async Task Records_reach_a_queue_in_the_order_of_the_writes_before_each_write_answers()
    {
        var bucket = await _s3.NewBucketAsync();
        var url = await _sqs.NewQueue();
        await _s3.PutBucketNotificationAsync(ToQueue(bucket, await _sqs.QueueArn(url)));
        await _sqs.Receive(url, visibility: 300); // the test event

        foreach (var key in (string[])["a", "b", "c", "d", "e"]) await _s3.PutTextAsync(bucket, key, key);
        await _s3.DeleteObjectAsync(bucket, "a");

        var records = Records(await _sqs.Receive(url, visibility: 300));
        Assert.Equal(["a", "b", "c", "d", "e", "a"], records.Select(KeyOf));
        Assert.Equal("ObjectRemoved:Delete", records[^1].GetProperty("eventName").GetString());
        Assert.Equal(records.Select(SequencerOf).Order(StringComparer.Ordinal), records.Select(SequencerOf));
    }

    [Fact]
    public async Task Records_reach_a_topic_in_the_order_of_the_writes()
    {
        var bucket = await _s3.NewBucketAsync();
        var sns = new SnsClient(nephele.Http());
        var topic = await sns.CreateTopic("s3-order-" + Guid.NewGuid().ToString("N")[..8]);
        var url = await _sqs.NewQueue();
        await sns.Subscribe(topic, "sqs", await _sqs.QueueArn(url));
        await _s3.PutBucketNotificationAsync(new PutBucketNotificationRequest
        {
            BucketName = bucket,
            TopicConfigurations = [new TopicConfiguration { Id = "t", Topic = topic, Events = [EventType.ObjectCreatedPut] }],
        });
        foreach (var key in (string[])["one", "two", "three"]) await _s3.PutTextAsync(bucket, key, key);

        var messages = (await _sqs.Receive(url, visibility: 300))
            .Select(m => JsonDocument.Parse(JsonDocument.Parse(m.Body).RootElement.GetProperty("Message").GetString()!).RootElement.Clone())
            .Where(m => m.TryGetProperty("Records", out _))
            .Select(m => m.GetProperty("Records")[0]).ToList();
        Assert.Equal(["one", "two", "three"], messages.Select(KeyOf));
    }

    [Fact]
    public async Task A_function_is_invoked_with_every_record()
    {
        var lambda = new LambdaClient(nephele.Http());
        var (name, file) = await lambda.RecorderFunction("s3-events");
        var bucket = await _s3.NewBucketAsync();
        await _s3.PutBucketNotificationAsync(new PutBucketNotificationRequest
        {
            BucketName = bucket,
            LambdaFunctionConfigurations =
            [
                new LambdaFunctionConfiguration
                {
                    Id = "f",
                    FunctionArn = $"arn:aws:lambda:us-east-1:000000000000:function:{name}",
                    Events = [EventType.ObjectCreatedPut],
                },
            ],
        });
        foreach (var key in (string[])["x1", "x2", "x3"]) await _s3.PutTextAsync(bucket, key, key);

        var records = (await LambdaAsyncSupport.Events(file, 3)).Select(e => e.GetProperty("Records")[0]).ToList();
        // Asynchronous invocations may run side by side; the sequencers still order the writes.
        Assert.Equal(["x1", "x2", "x3"], records.OrderBy(SequencerOf, StringComparer.Ordinal).Select(KeyOf));
        Assert.All(records, r => Assert.Equal("ObjectCreated:Put", r.GetProperty("eventName").GetString()));
    }

    [Fact]
    public async Task A_record_for_a_missing_queue_waits_in_the_outbox_across_a_restart_and_arrives_once_the_queue_exists()
    {
        using var data = new RestartableNephele();
        var queueName = "q-" + Guid.NewGuid().ToString("N")[..12];
        string bucket;
        await using (var first = await data.StartAsync())
        {
            var s3 = S3Client(first);
            var sqs = SqsClient(first);
            var url = (await sqs.CreateQueueAsync(queueName)).QueueUrl;
            bucket = await s3.NewBucketAsync();
            await s3.PutBucketNotificationAsync(ToQueue(bucket, await sqs.QueueArn(url)));
            await sqs.DeleteQueueAsync(url);
            // The write succeeds; its record cannot be delivered and stays in the outbox.
            await s3.PutTextAsync(bucket, "kept.txt", "kept");
        }

        await using var second = await data.StartAsync();
        var sqsAgain = SqsClient(second);
        // SQS refuses the same name for 60 seconds after a deletion.
        await Advance(second, "PT61S");
        var recreated = (await sqsAgain.CreateQueueAsync(queueName)).QueueUrl;
        await Advance(second, "PT10M");

        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<JsonElement> records = [];
        while (records.Count == 0 && DateTime.UtcNow < deadline)
            records = Records(await sqsAgain.Receive(recreated, visibility: 300, wait: 1));
        var record = Assert.Single(records);
        Assert.Equal("kept.txt", KeyOf(record));
        Assert.Equal(bucket, record.GetProperty("s3").GetProperty("bucket").GetProperty("name").GetString());
        Assert.Empty(await sqsAgain.Receive(recreated));
    }

    private static async Task Advance(NepheleServer server, string duration)
    {
        using var http = new HttpClient { BaseAddress = server.Endpoint };
        (await http.PostAsync("/_nephele/clock", JsonContent.Create(new Dictionary<string, string> { ["advance"] = duration }))).EnsureSuccessStatusCode();
    }

    private static AmazonS3Client S3Client(NepheleServer server) =>
        new(new BasicAWSCredentials("test", "test"), new AmazonS3Config { ServiceURL = server.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    private static AmazonSQSClient SqsClient(NepheleServer server) =>
        new(new BasicAWSCredentials("test", "test"), new AmazonSQSConfig { ServiceURL = server.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
}
