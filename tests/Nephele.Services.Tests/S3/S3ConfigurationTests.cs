using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Nephele.Services.Tests.S3;

/// <summary>Bucket configuration documents that are stored and returned as sent: tagging, website, logging, notification, ...</summary>
public sealed class S3ConfigurationTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private AmazonS3Client S3() =>
        nephele.Client((c, cfg) => new AmazonS3Client(c, (AmazonS3Config)cfg), new AmazonS3Config { ForcePathStyle = true });

    private async Task<string> NewBucket(AmazonS3Client s3)
    {
        var name = "cfg-" + Guid.NewGuid().ToString("N")[..16];
        await s3.PutBucketAsync(name);
        return name;
    }

    private static async Task<AmazonS3Exception> Fails(Func<Task> call, string code, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(call);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(status, error.StatusCode);
        return error;
    }

    [Fact]
    public async Task Bucket_tags_round_trip_and_are_gone_after_delete()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        await Fails(() => s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = bucket }), "NoSuchTagSet", HttpStatusCode.NotFound);
        await s3.PutBucketTaggingAsync(new PutBucketTaggingRequest
        {
            BucketName = bucket,
            TagSet = [new Tag { Key = "team", Value = "storage" }, new Tag { Key = "env", Value = "" }],
        });
        var tags = await s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = bucket });
        Assert.Equal([("team", "storage"), ("env", "")], tags.TagSet.Select(t => (t.Key, t.Value ?? "")));
        await s3.DeleteBucketTaggingAsync(new DeleteBucketTaggingRequest { BucketName = bucket });
        await Fails(() => s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = bucket }), "NoSuchTagSet", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Duplicate_tag_keys_are_InvalidTag()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        var error = await Fails(() => s3.PutBucketTaggingAsync(new PutBucketTaggingRequest
        {
            BucketName = bucket,
            TagSet = [new Tag { Key = "k", Value = "1" }, new Tag { Key = "k", Value = "2" }],
        }), "InvalidTag");
        Assert.Equal("Cannot provide multiple Tags with the same key", error.Message);
        await Fails(() => s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = bucket }), "NoSuchTagSet", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Configuration_of_a_missing_bucket_is_NoSuchBucket()
    {
        await Fails(() => S3().GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = "cfg-no-such-bucket" }), "NoSuchBucket", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Website_configuration_round_trips_with_routing_rules()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        await S3Wire.AssertErrorAsync(nephele, $"/{bucket}?website", HttpStatusCode.NotFound, "NoSuchWebsiteConfiguration");
        await s3.PutBucketWebsiteAsync(new PutBucketWebsiteRequest
        {
            BucketName = bucket,
            WebsiteConfiguration = new WebsiteConfiguration
            {
                IndexDocumentSuffix = "index.html",
                ErrorDocument = "error.html",
                RoutingRules =
                [
                    new RoutingRule
                    {
                        Condition = new RoutingRuleCondition { KeyPrefixEquals = "docs/" },
                        Redirect = new RoutingRuleRedirect { ReplaceKeyPrefixWith = "documents/" },
                    },
                ],
            },
        });
        var website = (await s3.GetBucketWebsiteAsync(new GetBucketWebsiteRequest { BucketName = bucket })).WebsiteConfiguration;
        Assert.Equal("index.html", website.IndexDocumentSuffix);
        Assert.Equal("error.html", website.ErrorDocument);
        Assert.Equal("docs/", Assert.Single(website.RoutingRules).Condition.KeyPrefixEquals);
        Assert.Equal("documents/", website.RoutingRules[0].Redirect.ReplaceKeyPrefixWith);
        await s3.DeleteBucketWebsiteAsync(new DeleteBucketWebsiteRequest { BucketName = bucket });
        await S3Wire.AssertErrorAsync(nephele, $"/{bucket}?website", HttpStatusCode.NotFound, "NoSuchWebsiteConfiguration");
    }

    [Fact]
    public async Task Website_without_an_index_document_is_refused()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        var error = await Fails(() => s3.PutBucketWebsiteAsync(new PutBucketWebsiteRequest
        {
            BucketName = bucket,
            WebsiteConfiguration = new WebsiteConfiguration { ErrorDocument = "error.html" },
        }), "InvalidArgument");
        Assert.Equal("A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty", error.Message);
    }

    [Fact]
    public async Task Logging_targets_an_existing_bucket_and_turns_off_with_an_empty_status()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        var target = await NewBucket(s3);
        Assert.Null((await s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = bucket })).BucketLoggingConfig?.TargetBucketName);
        await s3.PutBucketLoggingAsync(new PutBucketLoggingRequest
        {
            BucketName = bucket,
            LoggingConfig = new S3BucketLoggingConfig { TargetBucketName = target, TargetPrefix = "logs/" },
        });
        var logging = (await s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = bucket })).BucketLoggingConfig;
        Assert.Equal(target, logging.TargetBucketName);
        Assert.Equal("logs/", logging.TargetPrefix);
        await s3.PutBucketLoggingAsync(new PutBucketLoggingRequest { BucketName = bucket, LoggingConfig = new S3BucketLoggingConfig() });
        Assert.Null((await s3.GetBucketLoggingAsync(new GetBucketLoggingRequest { BucketName = bucket })).BucketLoggingConfig?.TargetBucketName);

        await Fails(() => s3.PutBucketLoggingAsync(new PutBucketLoggingRequest
        {
            BucketName = bucket,
            LoggingConfig = new S3BucketLoggingConfig { TargetBucketName = "cfg-no-such-target", TargetPrefix = "x/" },
        }), "InvalidTargetBucketForLogging");
    }

    [Fact]
    public async Task Notification_configuration_round_trips_and_gets_an_id()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        Assert.Empty((await s3.GetBucketNotificationAsync(bucket)).QueueConfigurations ?? []);
        await s3.PutBucketNotificationAsync(new PutBucketNotificationRequest
        {
            BucketName = bucket,
            // The queue does not exist: only skipping S3's destination check (a test event) stores it.
            SkipDestinationValidation = true,
            QueueConfigurations =
            [
                new QueueConfiguration
                {
                    Queue = "arn:aws:sqs:us-east-1:000000000000:uploads",
                    Events = [EventType.ObjectCreatedAll],
                    Filter = new Filter { S3KeyFilter = new S3KeyFilter { FilterRules = [new FilterRule("suffix", ".jpg")] } },
                },
            ],
        });
        var queue = Assert.Single((await s3.GetBucketNotificationAsync(bucket)).QueueConfigurations);
        Assert.Equal("arn:aws:sqs:us-east-1:000000000000:uploads", queue.Queue);
        Assert.Equal([EventType.ObjectCreatedAll], queue.Events);
        Assert.False(string.IsNullOrEmpty(queue.Id));
        Assert.Equal(".jpg", Assert.Single(queue.Filter.S3KeyFilter.FilterRules).Value);
    }

    [Fact]
    public async Task Notification_with_a_malformed_arn_is_refused()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        var error = await Fails(() => s3.PutBucketNotificationAsync(new PutBucketNotificationRequest
        {
            BucketName = bucket,
            QueueConfigurations = [new QueueConfiguration { Queue = "not-an-arn", Events = [EventType.ObjectCreatedAll] }],
        }), "InvalidArgument");
        Assert.Equal("The ARN is not well formed", error.Message);
    }

    [Fact]
    public async Task Accelerate_and_request_payment_round_trip()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        Assert.Equal("BucketOwner", (await s3.GetBucketRequestPaymentAsync(new GetBucketRequestPaymentRequest { BucketName = bucket })).Payer);
        await s3.PutBucketRequestPaymentAsync(new PutBucketRequestPaymentRequest
        {
            BucketName = bucket,
            RequestPaymentConfiguration = new RequestPaymentConfiguration { Payer = "Requester" },
        });
        Assert.Equal("Requester", (await s3.GetBucketRequestPaymentAsync(new GetBucketRequestPaymentRequest { BucketName = bucket })).Payer);

        await s3.PutBucketAccelerateConfigurationAsync(new PutBucketAccelerateConfigurationRequest
        {
            BucketName = bucket,
            AccelerateConfiguration = new AccelerateConfiguration { Status = BucketAccelerateStatus.Enabled },
        });
        var accelerate = await s3.GetBucketAccelerateConfigurationAsync(new GetBucketAccelerateConfigurationRequest { BucketName = bucket });
        Assert.Equal(BucketAccelerateStatus.Enabled, accelerate.Status);
    }

    [Fact]
    public async Task Acceleration_is_refused_for_bucket_names_with_periods()
    {
        var s3 = S3();
        var bucket = "cfg." + Guid.NewGuid().ToString("N")[..12];
        await s3.PutBucketAsync(bucket);
        await Fails(() => s3.PutBucketAccelerateConfigurationAsync(new PutBucketAccelerateConfigurationRequest
        {
            BucketName = bucket,
            AccelerateConfiguration = new AccelerateConfiguration { Status = BucketAccelerateStatus.Enabled },
        }), "InvalidRequest");
    }

    [Fact]
    public async Task New_buckets_default_to_SSE_S3_and_keep_a_configured_KMS_key()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        var rule = Assert.Single((await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }))
            .ServerSideEncryptionConfiguration.ServerSideEncryptionRules);
        Assert.Equal(ServerSideEncryptionMethod.AES256, rule.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
        Assert.False(rule.BucketKeyEnabled);

        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules =
                [
                    new ServerSideEncryptionRule
                    {
                        ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault
                        {
                            ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AWSKMS,
                            ServerSideEncryptionKeyManagementServiceKeyId = "alias/uploads",
                        },
                        BucketKeyEnabled = true,
                    },
                ],
            },
        });
        rule = Assert.Single((await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }))
            .ServerSideEncryptionConfiguration.ServerSideEncryptionRules);
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, rule.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
        Assert.Equal("alias/uploads", rule.ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.True(rule.BucketKeyEnabled);

        await s3.DeleteBucketEncryptionAsync(new DeleteBucketEncryptionRequest { BucketName = bucket });
        rule = Assert.Single((await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }))
            .ServerSideEncryptionConfiguration.ServerSideEncryptionRules);
        Assert.Equal(ServerSideEncryptionMethod.AES256, rule.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
    }

    [Fact]
    public async Task A_KMS_key_with_SSE_S3_is_InvalidArgument()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        await Fails(() => s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules =
                [
                    new ServerSideEncryptionRule
                    {
                        ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault
                        {
                            ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AES256,
                            ServerSideEncryptionKeyManagementServiceKeyId = "alias/nope",
                        },
                    },
                ],
            },
        }), "InvalidArgument");
    }

    [Fact]
    public async Task Replication_round_trips_and_is_missing_after_delete()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        await S3Wire.AssertErrorAsync(nephele, $"/{bucket}?replication", HttpStatusCode.NotFound, "ReplicationConfigurationNotFoundError");
        var configuration = new ReplicationConfiguration
        {
            Role = "arn:aws:iam::000000000000:role/replication",
            Rules = [new ReplicationRule { Id = "all", Status = ReplicationRuleStatus.Enabled, Destination = new ReplicationDestination { BucketArn = "arn:aws:s3:::elsewhere" } }],
        };
        var unversioned = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            s3.PutBucketReplicationAsync(new PutBucketReplicationRequest { BucketName = bucket, Configuration = configuration }));
        Assert.Equal("InvalidRequest", unversioned.ErrorCode);
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
        });
        await s3.PutBucketReplicationAsync(new PutBucketReplicationRequest
        {
            BucketName = bucket,
            Configuration = new ReplicationConfiguration
            {
                Role = "arn:aws:iam::000000000000:role/replication",
                Rules =
                [
                    new ReplicationRule
                    {
                        Id = "all",
                        Priority = 1,
                        Status = ReplicationRuleStatus.Enabled,
                        Filter = new ReplicationRuleFilter { Prefix = "" },
                        DeleteMarkerReplication = new DeleteMarkerReplication { Status = DeleteMarkerReplicationStatus.Disabled },
                        Destination = new ReplicationDestination { BucketArn = "arn:aws:s3:::replica-bucket", StorageClass = S3StorageClass.StandardInfrequentAccess },
                    },
                ],
            },
        });
        var replication = (await s3.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = bucket })).Configuration;
        Assert.Equal("arn:aws:iam::000000000000:role/replication", replication.Role);
        var rule = Assert.Single(replication.Rules);
        Assert.Equal("all", rule.Id);
        Assert.Equal("arn:aws:s3:::replica-bucket", rule.Destination.BucketArn);
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, rule.Destination.StorageClass);
        await s3.DeleteBucketReplicationAsync(new DeleteBucketReplicationRequest { BucketName = bucket });
        await S3Wire.AssertErrorAsync(nephele, $"/{bucket}?replication", HttpStatusCode.NotFound, "ReplicationConfigurationNotFoundError");
    }
}
