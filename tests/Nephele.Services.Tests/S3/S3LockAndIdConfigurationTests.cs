using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Nephele.Services.Tests.S3;

/// <summary>Object lock configuration, and the id-keyed configurations: intelligent tiering, inventory, metrics, analytics.</summary>
public sealed class S3LockAndIdConfigurationTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private AmazonS3Client S3() =>
        nephele.Client((c, cfg) => new AmazonS3Client(c, (AmazonS3Config)cfg), new AmazonS3Config { ForcePathStyle = true });

    private async Task<string> NewBucket(AmazonS3Client s3, bool objectLock = false)
    {
        var name = "ids-" + Guid.NewGuid().ToString("N")[..16];
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = name, ObjectLockEnabledForBucket = objectLock });
        return name;
    }

    [Fact]
    public async Task Object_lock_default_retention_round_trips_on_a_lock_enabled_bucket()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3, objectLock: true);
        var initial = await s3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = bucket });
        Assert.Equal(ObjectLockEnabled.Enabled, initial.ObjectLockConfiguration.ObjectLockEnabled);
        await s3.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
        {
            BucketName = bucket,
            ObjectLockConfiguration = new ObjectLockConfiguration
            {
                ObjectLockEnabled = ObjectLockEnabled.Enabled,
                Rule = new ObjectLockRule { DefaultRetention = new DefaultRetention { Mode = ObjectLockRetentionMode.Governance, Days = 5 } },
            },
        });
        var retention = (await s3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = bucket }))
            .ObjectLockConfiguration.Rule.DefaultRetention;
        Assert.Equal(ObjectLockRetentionMode.Governance, retention.Mode);
        Assert.Equal(5, retention.Days);
    }

    [Fact]
    public async Task Object_lock_is_absent_and_refused_on_ordinary_buckets()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = bucket }));
        Assert.Equal("ObjectLockConfigurationNotFoundError", missing.ErrorCode);
        var refused = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
        {
            BucketName = bucket,
            ObjectLockConfiguration = new ObjectLockConfiguration { ObjectLockEnabled = ObjectLockEnabled.Enabled },
        }));
        Assert.Equal("InvalidBucketState", refused.ErrorCode);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
    }

    [Fact]
    public async Task Default_retention_needs_a_positive_period()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3, objectLock: true);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
        {
            BucketName = bucket,
            ObjectLockConfiguration = new ObjectLockConfiguration
            {
                ObjectLockEnabled = ObjectLockEnabled.Enabled,
                Rule = new ObjectLockRule { DefaultRetention = new DefaultRetention { Mode = ObjectLockRetentionMode.Compliance, Days = 0 } },
            },
        }));
        Assert.Equal("InvalidArgument", error.ErrorCode);
    }

    [Fact]
    public async Task Metrics_configurations_are_kept_by_id_and_listed_in_pages()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        await S3Wire.AssertErrorAsync(nephele, $"/{bucket}?metrics&id=absent", HttpStatusCode.NotFound, "NoSuchConfiguration");

        for (var i = 0; i < 101; i++)
        {
            var id = $"m{i:D3}";
            await s3.PutBucketMetricsConfigurationAsync(new PutBucketMetricsConfigurationRequest
            {
                BucketName = bucket,
                MetricsId = id,
                MetricsConfiguration = new MetricsConfiguration
                {
                    MetricsId = id,
                    MetricsFilter = new MetricsFilter { MetricsFilterPredicate = new MetricsPrefixPredicate("docs/") },
                },
            });
        }
        var one = await s3.GetBucketMetricsConfigurationAsync(new GetBucketMetricsConfigurationRequest { BucketName = bucket, MetricsId = "m042" });
        Assert.Equal("m042", one.MetricsConfiguration.MetricsId);
        Assert.Equal("docs/", ((MetricsPrefixPredicate)one.MetricsConfiguration.MetricsFilter.MetricsFilterPredicate).Prefix);

        var first = await s3.ListBucketMetricsConfigurationsAsync(new ListBucketMetricsConfigurationsRequest { BucketName = bucket });
        Assert.True(first.IsTruncated);
        Assert.Equal(100, first.MetricsConfigurationList.Count);
        var second = await s3.ListBucketMetricsConfigurationsAsync(new ListBucketMetricsConfigurationsRequest { BucketName = bucket, ContinuationToken = first.NextToken });
        Assert.Equal("m100", Assert.Single(second.MetricsConfigurationList).MetricsId);
        Assert.False(second.IsTruncated);

        await s3.DeleteBucketMetricsConfigurationAsync(new DeleteBucketMetricsConfigurationRequest { BucketName = bucket, MetricsId = "m042" });
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.DeleteBucketMetricsConfigurationAsync(new DeleteBucketMetricsConfigurationRequest { BucketName = bucket, MetricsId = "m042" }));
        Assert.Equal("NoSuchConfiguration", gone.ErrorCode);
    }

    [Fact]
    public async Task Intelligent_tiering_round_trips_and_checks_tier_days()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        await s3.PutBucketIntelligentTieringConfigurationAsync(new PutBucketIntelligentTieringConfigurationRequest
        {
            BucketName = bucket,
            IntelligentTieringId = "archive",
            IntelligentTieringConfiguration = new IntelligentTieringConfiguration
            {
                IntelligentTieringId = "archive",
                Status = IntelligentTieringStatus.Enabled,
                Tierings = [new Tiering { AccessTier = IntelligentTieringAccessTier.ARCHIVE_ACCESS, Days = 90 }],
            },
        });
        var got = await s3.GetBucketIntelligentTieringConfigurationAsync(new GetBucketIntelligentTieringConfigurationRequest
        {
            BucketName = bucket,
            IntelligentTieringId = "archive",
        });
        Assert.Equal(90, Assert.Single(got.IntelligentTieringConfiguration.Tierings).Days);
        var listed = await s3.ListBucketIntelligentTieringConfigurationsAsync(new ListBucketIntelligentTieringConfigurationsRequest { BucketName = bucket });
        Assert.Equal("archive", Assert.Single(listed.IntelligentTieringConfigurationList).IntelligentTieringId);

        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketIntelligentTieringConfigurationAsync(
            new PutBucketIntelligentTieringConfigurationRequest
            {
                BucketName = bucket,
                IntelligentTieringId = "short",
                IntelligentTieringConfiguration = new IntelligentTieringConfiguration
                {
                    IntelligentTieringId = "short",
                    Status = IntelligentTieringStatus.Enabled,
                    Tierings = [new Tiering { AccessTier = IntelligentTieringAccessTier.ARCHIVE_ACCESS, Days = 10 }],
                },
            }));
        Assert.Equal("InvalidArgument", error.ErrorCode);
    }

    [Fact]
    public async Task Inventory_and_analytics_round_trip()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        await s3.PutBucketInventoryConfigurationAsync(new PutBucketInventoryConfigurationRequest
        {
            BucketName = bucket,
            InventoryId = "weekly",
            InventoryConfiguration = new InventoryConfiguration
            {
                InventoryId = "weekly",
                IsEnabled = true,
                IncludedObjectVersions = InventoryIncludedObjectVersions.Current,
                Schedule = new InventorySchedule { Frequency = InventoryFrequency.Weekly },
                Destination = new InventoryDestination
                {
                    S3BucketDestination = new InventoryS3BucketDestination { BucketName = "arn:aws:s3:::inventory-target", InventoryFormat = InventoryFormat.CSV },
                },
                InventoryOptionalFields = [InventoryOptionalField.Size, InventoryOptionalField.ETag],
            },
        });
        var inventory = (await s3.GetBucketInventoryConfigurationAsync(new GetBucketInventoryConfigurationRequest { BucketName = bucket, InventoryId = "weekly" }))
            .InventoryConfiguration;
        Assert.Equal(InventoryFrequency.Weekly, inventory.Schedule.Frequency);
        Assert.Equal([InventoryOptionalField.Size, InventoryOptionalField.ETag], inventory.InventoryOptionalFields);

        await s3.PutBucketAnalyticsConfigurationAsync(new PutBucketAnalyticsConfigurationRequest
        {
            BucketName = bucket,
            AnalyticsId = "usage",
            AnalyticsConfiguration = new AnalyticsConfiguration { AnalyticsId = "usage", StorageClassAnalysis = new StorageClassAnalysis() },
        });
        var analytics = await s3.ListBucketAnalyticsConfigurationsAsync(new ListBucketAnalyticsConfigurationsRequest { BucketName = bucket });
        Assert.Equal("usage", Assert.Single(analytics.AnalyticsConfigurationList).AnalyticsId);
    }
}
