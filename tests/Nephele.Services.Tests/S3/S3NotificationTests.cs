using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Nephele.Services.Tests.Sns;
using Nephele.Services.Tests.Sqs;

namespace Nephele.Services.Tests.S3;

public sealed class S3NotificationTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly AmazonS3Client _s3 = S3TestClient.Create(nephele);
    private readonly AmazonSQSClient _sqs = nephele.Sqs();

    private async Task<(string Url, string Arn)> NewQueue()
    {
        var url = await _sqs.NewQueue();
        return (url, (await _sqs.Attributes(url, "QueueArn"))["QueueArn"]);
    }

    private Task Configure(string bucket, params QueueConfiguration[] queues) =>
        _s3.PutBucketNotificationAsync(new PutBucketNotificationRequest { BucketName = bucket, QueueConfigurations = [.. queues] });

    private static QueueConfiguration Queue(string arn, string id, string[] events, string? prefix = null, string? suffix = null)
    {
        var config = new QueueConfiguration { Id = id, Queue = arn, Events = [.. events.Select(e => new EventType(e))] };
        var rules = new List<FilterRule>();
        if (prefix is not null) rules.Add(new FilterRule("prefix", prefix));
        if (suffix is not null) rules.Add(new FilterRule("suffix", suffix));
        if (rules.Count > 0) config.Filter = new Filter { S3KeyFilter = new S3KeyFilter { FilterRules = rules } };
        return config;
    }

    /// <summary>The messages in the queue, as parsed JSON documents (test events included).</summary>
    private async Task<List<JsonElement>> Drain(string url)
    {
        var all = new List<JsonElement>();
        while (true)
        {
            var batch = await _sqs.Receive(url, visibility: 300);
            if (batch.Count == 0) return all;
            all.AddRange(batch.Select(m => JsonDocument.Parse(m.Body).RootElement.Clone()));
        }
    }

    private static List<JsonElement> Records(IEnumerable<JsonElement> messages) =>
        [.. messages.Where(m => m.TryGetProperty("Records", out _)).Select(m => m.GetProperty("Records")[0])];

    [Fact]
    public async Task Putting_a_configuration_sends_the_test_event_to_the_queue()
    {
        var bucket = await _s3.NewBucketAsync();
        var (url, arn) = await NewQueue();
        await Configure(bucket, Queue(arn, "all", ["s3:ObjectCreated:*"]));
        var test = Assert.Single(await Drain(url));
        Assert.Equal("Amazon S3", test.GetProperty("Service").GetString());
        Assert.Equal("s3:TestEvent", test.GetProperty("Event").GetString());
        Assert.Equal(bucket, test.GetProperty("Bucket").GetString());
    }

    [Fact]
    public async Task A_missing_queue_is_refused_and_nothing_is_stored()
    {
        var bucket = await _s3.NewBucketAsync();
        var missing = "arn:aws:sqs:us-east-1:000000000000:no-such-queue";
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => Configure(bucket, Queue(missing, "x", ["s3:ObjectCreated:*"])));
        Assert.Equal("InvalidArgument", error.ErrorCode);
        Assert.Equal("Unable to validate the following destination configurations", error.Message);
        var stored = await _s3.GetBucketNotificationAsync(bucket);
        Assert.Empty(stored.QueueConfigurations ?? []);
    }

    [Fact]
    public async Task Put_copy_and_multipart_uploads_send_object_created_records_as_AWS_writes_them()
    {
        var bucket = await _s3.NewBucketAsync();
        var (url, arn) = await NewQueue();
        await Configure(bucket, Queue(arn, "created", ["s3:ObjectCreated:*"]));
        await Drain(url);

        var put = await _s3.PutTextAsync(bucket, "photos/my cat.jpg", "meow");
        await _s3.CopyObjectAsync(bucket, "photos/my cat.jpg", bucket, "copy.jpg");
        var upload = await _s3.InitiateMultipartUploadAsync(bucket, "big.bin");
        var part = await _s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = "big.bin",
            UploadId = upload.UploadId,
            PartNumber = 1,
            InputStream = new MemoryStream(new byte[10]),
        });
        await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "big.bin",
            UploadId = upload.UploadId,
            PartETags = [new PartETag(1, part.ETag)],
        });

        var records = Records(await Drain(url));
        Assert.Equal(["ObjectCreated:CompleteMultipartUpload", "ObjectCreated:Copy", "ObjectCreated:Put"],
            records.Select(r => r.GetProperty("eventName").GetString()).Order(StringComparer.Ordinal));
        var first = records.Single(r => r.GetProperty("eventName").GetString() == "ObjectCreated:Put");
        Assert.Equal("2.1", first.GetProperty("eventVersion").GetString());
        Assert.Equal("aws:s3", first.GetProperty("eventSource").GetString());
        Assert.Equal("us-east-1", first.GetProperty("awsRegion").GetString());
        Assert.True(DateTimeOffset.TryParse(first.GetProperty("eventTime").GetString(), out _));
        Assert.False(string.IsNullOrEmpty(first.GetProperty("userIdentity").GetProperty("principalId").GetString()));
        Assert.False(string.IsNullOrEmpty(first.GetProperty("requestParameters").GetProperty("sourceIPAddress").GetString()));
        Assert.Equal(16, first.GetProperty("responseElements").GetProperty("x-amz-request-id").GetString()!.Length);
        Assert.False(string.IsNullOrEmpty(first.GetProperty("responseElements").GetProperty("x-amz-id-2").GetString()));
        var s3 = first.GetProperty("s3");
        Assert.Equal("1.0", s3.GetProperty("s3SchemaVersion").GetString());
        Assert.Equal("created", s3.GetProperty("configurationId").GetString());
        Assert.Equal(bucket, s3.GetProperty("bucket").GetProperty("name").GetString());
        Assert.Equal("arn:aws:s3:::" + bucket, s3.GetProperty("bucket").GetProperty("arn").GetString());
        Assert.False(string.IsNullOrEmpty(s3.GetProperty("bucket").GetProperty("ownerIdentity").GetProperty("principalId").GetString()));
        var obj = s3.GetProperty("object");
        Assert.Equal("photos/my+cat.jpg", obj.GetProperty("key").GetString());
        Assert.Equal(4, obj.GetProperty("size").GetInt64());
        Assert.Equal(put.ETag.Trim('"'), obj.GetProperty("eTag").GetString());
        Assert.False(obj.TryGetProperty("versionId", out _));
        Assert.False(string.IsNullOrEmpty(obj.GetProperty("sequencer").GetString()));
        var multipart = records.Single(r => r.GetProperty("eventName").GetString() == "ObjectCreated:CompleteMultipartUpload");
        Assert.Equal(10, multipart.GetProperty("s3").GetProperty("object").GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task Prefix_and_suffix_rules_and_event_names_select_what_is_sent()
    {
        var bucket = await _s3.NewBucketAsync();
        var (url, arn) = await NewQueue();
        await Configure(bucket, Queue(arn, "images", ["s3:ObjectCreated:Put"], prefix: "images/", suffix: ".png"));
        await Drain(url);

        await _s3.PutTextAsync(bucket, "images/a.png", "1");
        await _s3.PutTextAsync(bucket, "images/b.jpg", "2");
        await _s3.PutTextAsync(bucket, "docs/c.png", "3");
        await _s3.CopyObjectAsync(bucket, "images/a.png", bucket, "images/d.png");
        await _s3.DeleteObjectAsync(bucket, "images/a.png");

        var records = Records(await Drain(url));
        var record = Assert.Single(records);
        Assert.Equal("images/a.png", record.GetProperty("s3").GetProperty("object").GetProperty("key").GetString());
    }

    [Fact]
    public async Task Deletes_send_object_removed_and_delete_marker_records_with_version_ids()
    {
        var bucket = await _s3.NewBucketAsync();
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
        });
        var (url, arn) = await NewQueue();
        await Configure(bucket, Queue(arn, "removed", ["s3:ObjectRemoved:*"]));
        await Drain(url);

        var v1 = (await _s3.PutTextAsync(bucket, "k", "one")).VersionId;
        var marker = await _s3.DeleteObjectAsync(bucket, "k");
        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "k", VersionId = v1 });
        await _s3.PutTextAsync(bucket, "q", "x");
        await _s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Quiet = true, Objects = [new KeyVersion { Key = "q" }] });

        var records = Records(await Drain(url));
        Assert.Equal(3, records.Count);
        var byKey = records.Select(r => (Name: r.GetProperty("eventName").GetString(), Object: r.GetProperty("s3").GetProperty("object"))).ToList();
        Assert.Contains(byKey, r => r.Name == "ObjectRemoved:DeleteMarkerCreated" && r.Object.GetProperty("key").GetString() == "k"
            && r.Object.GetProperty("versionId").GetString() == marker.VersionId);
        Assert.Contains(byKey, r => r.Name == "ObjectRemoved:Delete" && r.Object.GetProperty("versionId").GetString() == v1);
        Assert.Contains(byKey, r => r.Name == "ObjectRemoved:DeleteMarkerCreated" && r.Object.GetProperty("key").GetString() == "q");
        Assert.All(byKey, r => Assert.False(r.Object.TryGetProperty("size", out _)));
    }

    [Fact]
    public async Task Tagging_and_acl_changes_send_their_events()
    {
        var bucket = await _s3.NewBucketAsync();
        var (url, arn) = await NewQueue();
        await Configure(bucket, Queue(arn, "meta", ["s3:ObjectTagging:*", "s3:ObjectAcl:Put"]));
        await Drain(url);
        await _s3.PutTextAsync(bucket, "t", "x");
        await _s3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = bucket, Key = "t", Tagging = new Tagging { TagSet = [new Tag { Key = "a", Value = "b" }] } });
        await _s3.DeleteObjectTaggingAsync(new DeleteObjectTaggingRequest { BucketName = bucket, Key = "t" });
        var names = Records(await Drain(url)).Select(r => r.GetProperty("eventName").GetString()).ToList();
        Assert.Equal(["ObjectTagging:Delete", "ObjectTagging:Put"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Topics_receive_the_record_and_fan_it_out_with_S3s_subject()
    {
        var bucket = await _s3.NewBucketAsync();
        var sns = new SnsClient(nephele.Http());
        var topic = await sns.CreateTopic("s3-events-" + Guid.NewGuid().ToString("N")[..8]);
        var (url, queueArn) = await NewQueue();
        await sns.Subscribe(topic, "sqs", queueArn);
        await _s3.PutBucketNotificationAsync(new PutBucketNotificationRequest
        {
            BucketName = bucket,
            TopicConfigurations = [new TopicConfiguration { Id = "t", Topic = topic, Events = [EventType.ObjectCreatedPut] }],
        });
        await _s3.PutTextAsync(bucket, "hello.txt", "hi");
        var envelopes = await Drain(url);
        Assert.All(envelopes, e => Assert.Equal("Amazon S3 Notification", e.GetProperty("Subject").GetString()));
        var messages = envelopes.Select(e => JsonDocument.Parse(e.GetProperty("Message").GetString()!).RootElement.Clone()).ToList();
        Assert.Contains(messages, m => m.TryGetProperty("Event", out var ev) && ev.GetString() == "s3:TestEvent");
        var record = Assert.Single(Records(messages));
        Assert.Equal("hello.txt", record.GetProperty("s3").GetProperty("object").GetProperty("key").GetString());
    }

    [Fact]
    public async Task A_missing_topic_is_refused()
    {
        var bucket = await _s3.NewBucketAsync();
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.PutBucketNotificationAsync(new PutBucketNotificationRequest
        {
            BucketName = bucket,
            TopicConfigurations = [new TopicConfiguration { Topic = "arn:aws:sns:us-east-1:000000000000:nope", Events = [EventType.ObjectCreatedPut] }],
        }));
        Assert.Equal("InvalidArgument", error.ErrorCode);
    }
}
