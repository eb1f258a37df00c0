using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Nephele.Services.Tests.Sqs;

namespace Nephele.Services.Tests.S3;

/// <summary>Lifecycle rules run on Nephele's clock; each test class has its own server, so moving the clock here affects only these tests.</summary>
public sealed class S3LifecycleExecutionTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly AmazonS3Client _s3 = S3TestClient.Create(nephele);

    private Task Lifecycle(string bucket, params LifecycleRule[] rules) =>
        _s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new LifecycleConfiguration { Rules = [.. rules] },
        });

    private static LifecycleRule Rule(string id, LifecycleFilter? filter = null) =>
        new() { Id = id, Status = LifecycleRuleStatus.Enabled, Filter = filter ?? new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = "" } } };

    private static LifecycleFilter Prefix(string prefix) => new() { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = prefix } };

    private async Task<bool> Exists(string bucket, string key)
    {
        try
        {
            await _s3.GetObjectMetadataAsync(bucket, key);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private Task Versioned(string bucket) => _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
    {
        BucketName = bucket,
        VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
    });

    [Fact]
    public async Task Expiration_days_remove_matching_objects_at_the_midnight_after_the_days_have_passed()
    {
        var bucket = await _s3.NewBucketAsync();
        await _s3.PutTextAsync(bucket, "logs/a", "x");
        await _s3.PutTextAsync(bucket, "keep/b", "y");
        var rule = Rule("expire-logs", Prefix("logs/"));
        rule.Expiration = new LifecycleRuleExpiration { Days = 1 };
        await Lifecycle(bucket, rule);

        var head = await _s3.GetObjectMetadataAsync(bucket, "logs/a");
        var expected = new DateTimeOffset(head.LastModified!.Value.ToUniversalTime().Date, TimeSpan.Zero).AddDays(2);
        Assert.Equal(expected.UtcDateTime, head.Expiration.ExpiryDate.ToUniversalTime());
        Assert.Equal("expire-logs", head.Expiration.RuleId);
        Assert.Null((await _s3.GetObjectMetadataAsync(bucket, "keep/b")).Expiration);

        // The expiry midnight is more than a day away from the object's creation.
        await nephele.AdvanceClock("PT23H");
        Assert.True(await Exists(bucket, "logs/a"));
        await nephele.AdvanceClock("P2D");
        Assert.False(await Exists(bucket, "logs/a"));
        Assert.True(await Exists(bucket, "keep/b"));
    }

    [Fact]
    public async Task Disabled_rules_and_tag_and_size_filters_leave_other_objects_alone()
    {
        var bucket = await _s3.NewBucketAsync();
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "tagged", ContentBody = "x", TagSet = [new Tag { Key = "tmp", Value = "yes" }] });
        await _s3.PutTextAsync(bucket, "untagged", "x");
        await _s3.PutTextAsync(bucket, "big", new string('b', 2000));
        var byTag = Rule("tag", new LifecycleFilter { LifecycleFilterPredicate = new LifecycleTagPredicate { Tag = new Tag { Key = "tmp", Value = "yes" } } });
        byTag.Expiration = new LifecycleRuleExpiration { Days = 1 };
        var bySize = Rule("size", new LifecycleFilter { LifecycleFilterPredicate = new LifecycleObjectSizeGreaterThanPredicate { ObjectSizeGreaterThan = 1000 } });
        bySize.Expiration = new LifecycleRuleExpiration { Days = 1 };
        var disabled = Rule("off");
        disabled.Status = LifecycleRuleStatus.Disabled;
        disabled.Expiration = new LifecycleRuleExpiration { Days = 1 };
        await Lifecycle(bucket, byTag, bySize, disabled);

        await nephele.AdvanceClock("P3D");
        Assert.False(await Exists(bucket, "tagged"));
        Assert.False(await Exists(bucket, "big"));
        Assert.True(await Exists(bucket, "untagged"));
    }

    [Fact]
    public async Task Expiration_in_a_versioned_bucket_adds_a_delete_marker_and_noncurrent_versions_expire_later()
    {
        var bucket = await _s3.NewBucketAsync();
        await Versioned(bucket);
        var v1 = (await _s3.PutTextAsync(bucket, "doc", "one")).VersionId;
        var rule = Rule("versions");
        rule.Expiration = new LifecycleRuleExpiration { Days = 2 };
        rule.NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = 5 };
        await Lifecycle(bucket, rule);

        await nephele.AdvanceClock("P3D");
        Assert.False(await Exists(bucket, "doc"));
        var versions = await _s3.ListVersionsAsync(bucket);
        Assert.Equal(2, versions.Versions.Count);
        Assert.True(versions.Versions[0].IsDeleteMarker);
        Assert.Equal(v1, versions.Versions[1].VersionId);

        await nephele.AdvanceClock("P6D");
        versions = await _s3.ListVersionsAsync(bucket);
        var marker = Assert.Single(versions.Versions);
        Assert.True(marker.IsDeleteMarker);
    }

    [Fact]
    public async Task Newer_noncurrent_versions_are_kept_and_expired_delete_markers_are_removed()
    {
        var bucket = await _s3.NewBucketAsync();
        await Versioned(bucket);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++) ids.Add((await _s3.PutTextAsync(bucket, "k", "v" + i)).VersionId);
        await _s3.PutTextAsync(bucket, "gone", "x");
        await _s3.DeleteObjectAsync(bucket, "gone");
        var versionsRule = Rule("noncurrent", Prefix("k"));
        versionsRule.NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = 1, NewerNoncurrentVersions = 1 };
        var markers = Rule("markers", Prefix("gone"));
        markers.Expiration = new LifecycleRuleExpiration { ExpiredObjectDeleteMarker = true };
        markers.NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = 1 };
        await Lifecycle(bucket, versionsRule, markers);

        await nephele.AdvanceClock("P3D");
        var versions = await _s3.ListVersionsAsync(bucket);
        // The current version and the newest noncurrent one stay; the lone delete marker of "gone" went after its version.
        Assert.Equal([ids[3], ids[2]], versions.Versions.Where(v => v.Key == "k").Select(v => v.VersionId));
        await nephele.AdvanceClock("PT1H");
        versions = await _s3.ListVersionsAsync(bucket);
        Assert.DoesNotContain(versions.Versions, v => v.Key == "gone");
    }

    [Fact]
    public async Task Incomplete_multipart_uploads_are_aborted_and_transitions_change_the_storage_class()
    {
        var bucket = await _s3.NewBucketAsync();
        var upload = await _s3.InitiateMultipartUploadAsync(bucket, "partial");
        await _s3.PutTextAsync(bucket, "cold", "x");
        var abort = Rule("abort");
        abort.AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = 1 };
        abort.Transitions = [new LifecycleTransition { Days = 1, StorageClass = S3StorageClass.Glacier }];
        await Lifecycle(bucket, abort);

        await nephele.AdvanceClock("P2D");
        Assert.Empty((await _s3.ListMultipartUploadsAsync(bucket)).MultipartUploads ?? []);
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.ListPartsAsync(bucket, "partial", upload.UploadId));
        Assert.Equal("NoSuchUpload", error.ErrorCode);
        Assert.Equal(S3StorageClass.Glacier, (await _s3.GetObjectMetadataAsync(bucket, "cold")).StorageClass);
        var listed = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Equal(S3StorageClass.Glacier, Assert.Single(listed.S3Objects).StorageClass);
    }

    [Fact]
    public async Task Expirations_notify_lifecycle_events()
    {
        var sqs = nephele.Sqs();
        var url = await sqs.NewQueue();
        var arn = (await sqs.Attributes(url, "QueueArn"))["QueueArn"];
        var bucket = await _s3.NewBucketAsync();
        await _s3.PutBucketNotificationAsync(new PutBucketNotificationRequest
        {
            BucketName = bucket,
            QueueConfigurations = [new QueueConfiguration { Queue = arn, Events = [new EventType("s3:LifecycleExpiration:*")] }],
        });
        await _s3.PutTextAsync(bucket, "old", "x");
        var rule = Rule("expire");
        rule.Expiration = new LifecycleRuleExpiration { Days = 1 };
        await Lifecycle(bucket, rule);
        await nephele.AdvanceClock("P2D");

        var bodies = (await sqs.Receive(url, visibility: 300)).Select(m => JsonDocument.Parse(m.Body).RootElement.Clone()).ToList();
        var record = Assert.Single(bodies, b => b.TryGetProperty("Records", out _)).GetProperty("Records")[0];
        Assert.Equal("LifecycleExpiration:Delete", record.GetProperty("eventName").GetString());
        Assert.Equal("s3.amazonaws.com", record.GetProperty("userIdentity").GetProperty("principalId").GetString());
        Assert.Equal("old", record.GetProperty("s3").GetProperty("object").GetProperty("key").GetString());
    }
}
