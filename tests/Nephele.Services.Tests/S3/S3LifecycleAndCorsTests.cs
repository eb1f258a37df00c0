using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Nephele.Services.Tests.S3;

/// <summary>Lifecycle rules and CORS rules: stored as sent, validated as S3 validates, and CORS answered on the wire.</summary>
public sealed class S3LifecycleAndCorsTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private AmazonS3Client S3() =>
        nephele.Client((c, cfg) => new AmazonS3Client(c, (AmazonS3Config)cfg), new AmazonS3Config { ForcePathStyle = true });

    private async Task<string> NewBucket(AmazonS3Client s3)
    {
        var name = "lc-" + Guid.NewGuid().ToString("N")[..16];
        await s3.PutBucketAsync(name);
        return name;
    }

    private static LifecycleRule ExpireLogs(int days) => new()
    {
        Id = "expire-logs",
        Status = LifecycleRuleStatus.Enabled,
        Filter = new LifecycleFilter { Prefix = "logs/" },
        Expiration = new LifecycleRuleExpiration { Days = days },
    };

    [Fact]
    public async Task Lifecycle_rules_round_trip_with_transitions_and_delete()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        await S3Wire.AssertErrorAsync(nephele, $"/{bucket}?lifecycle", HttpStatusCode.NotFound, "NoSuchLifecycleConfiguration");

        var rule = ExpireLogs(365);
        rule.Transitions = [new LifecycleTransition { Days = 30, StorageClass = S3StorageClass.StandardInfrequentAccess }];
        rule.AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = 7 };
        await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new LifecycleConfiguration { Rules = [rule] },
        });
        var got = await s3.GetLifecycleConfigurationAsync(bucket);
        var stored = Assert.Single(got.Configuration.Rules);
        Assert.Equal("expire-logs", stored.Id);
        // The SDK reads a prefix filter into its legacy predicate.
        Assert.Equal("logs/", stored.Filter.Prefix ?? (stored.Filter.LifecycleFilterPredicate as LifecyclePrefixPredicate)?.Prefix);
        Assert.Equal(365, stored.Expiration.Days);
        Assert.Equal(30, Assert.Single(stored.Transitions).Days);
        Assert.Equal(7, stored.AbortIncompleteMultipartUpload.DaysAfterInitiation);
        Assert.Equal(TransitionDefaultMinimumObjectSize.AllStorageClasses128K, got.TransitionDefaultMinimumObjectSize);

        await s3.DeleteLifecycleConfigurationAsync(bucket);
        await S3Wire.AssertErrorAsync(nephele, $"/{bucket}?lifecycle", HttpStatusCode.NotFound, "NoSuchLifecycleConfiguration");
    }

    [Fact]
    public async Task Lifecycle_rule_without_an_action_is_InvalidRequest()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new LifecycleConfiguration
            {
                Rules = [new LifecycleRule { Id = "idle", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { Prefix = "" } }],
            },
        }));
        Assert.Equal("InvalidRequest", error.ErrorCode);
        Assert.Equal("At least one action needs to be specified in a rule", error.Message);
    }

    [Fact]
    public async Task Lifecycle_expiration_days_must_be_positive()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new LifecycleConfiguration { Rules = [ExpireLogs(0)] },
        }));
        Assert.Equal("InvalidArgument", error.ErrorCode);
        Assert.Equal("'Days' for Expiration action must be a positive integer", error.Message);
    }

    [Fact]
    public async Task Cors_rules_round_trip_and_delete()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetCORSConfigurationAsync(bucket));
        Assert.Equal("NoSuchCORSConfiguration", missing.ErrorCode);
        await s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new CORSConfiguration
            {
                Rules =
                [
                    new CORSRule
                    {
                        Id = "web",
                        AllowedOrigins = ["https://app.example.com"],
                        AllowedMethods = ["GET", "PUT"],
                        AllowedHeaders = ["*"],
                        ExposeHeaders = ["ETag"],
                        MaxAgeSeconds = 3000,
                    },
                ],
            },
        });
        var rule = Assert.Single((await s3.GetCORSConfigurationAsync(bucket)).Configuration.Rules);
        Assert.Equal("web", rule.Id);
        Assert.Equal(["GET", "PUT"], rule.AllowedMethods);
        Assert.Equal(["https://app.example.com"], rule.AllowedOrigins);
        Assert.Equal(["*"], rule.AllowedHeaders);
        Assert.Equal(["ETag"], rule.ExposeHeaders);
        Assert.Equal(3000, rule.MaxAgeSeconds);
        await s3.DeleteCORSConfigurationAsync(bucket);
        missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetCORSConfigurationAsync(bucket));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Cors_rule_with_an_unsupported_method_is_InvalidRequest()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new CORSConfiguration { Rules = [new CORSRule { AllowedOrigins = ["*"], AllowedMethods = ["PATCH"] }] },
        }));
        Assert.Equal("InvalidRequest", error.ErrorCode);
        Assert.Equal("Found unsupported HTTP method in CORS config. Unsupported method is PATCH", error.Message);
    }

    [Fact]
    public async Task Preflight_is_answered_from_the_bucket_cors_rules()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        using var http = nephele.Http();
        var noConfig = await Preflight(http, $"/{bucket}/photo.jpg", "https://app.example.com", "PUT");
        Assert.Equal(HttpStatusCode.Forbidden, noConfig.StatusCode);
        Assert.Contains("CORS is not enabled for this bucket", await noConfig.Content.ReadAsStringAsync());

        await s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new CORSConfiguration
            {
                Rules =
                [
                    new CORSRule
                    {
                        AllowedOrigins = ["https://*.example.com"],
                        AllowedMethods = ["GET", "PUT"],
                        AllowedHeaders = ["content-type", "x-amz-*"],
                        ExposeHeaders = ["ETag"],
                        MaxAgeSeconds = 600,
                    },
                ],
            },
        });

        var allowed = await Preflight(http, $"/{bucket}/photo.jpg", "https://app.example.com", "PUT", "Content-Type, X-Amz-Meta-Owner");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("https://app.example.com", Header(allowed, "Access-Control-Allow-Origin"));
        Assert.Equal("GET, PUT", Header(allowed, "Access-Control-Allow-Methods"));
        Assert.Equal("content-type, x-amz-meta-owner", Header(allowed, "Access-Control-Allow-Headers"));
        Assert.Equal("ETag", Header(allowed, "Access-Control-Expose-Headers"));
        Assert.Equal("600", Header(allowed, "Access-Control-Max-Age"));
        Assert.Equal("true", Header(allowed, "Access-Control-Allow-Credentials"));

        var wrongMethod = await Preflight(http, $"/{bucket}/photo.jpg", "https://app.example.com", "DELETE");
        Assert.Equal(HttpStatusCode.Forbidden, wrongMethod.StatusCode);
        var body = await wrongMethod.Content.ReadAsStringAsync();
        Assert.Contains("<Code>AccessForbidden</Code>", body);
        Assert.Contains("CORSResponse: This CORS request is not allowed.", body);

        var wrongOrigin = await Preflight(http, $"/{bucket}/photo.jpg", "https://evil.test", "GET");
        Assert.Equal(HttpStatusCode.Forbidden, wrongOrigin.StatusCode);

        using var noOrigin = new HttpRequestMessage(HttpMethod.Options, $"/{bucket}/photo.jpg");
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(noOrigin)).StatusCode);

        var missingBucket = await Preflight(http, "/lc-no-such-bucket/x", "https://app.example.com", "GET");
        Assert.Equal(HttpStatusCode.Forbidden, missingBucket.StatusCode);
        Assert.Contains("CORSResponse: Bucket not found", await missingBucket.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Actual_requests_from_an_allowed_origin_carry_the_allow_origin_header()
    {
        var s3 = S3();
        var bucket = await NewBucket(s3);
        await s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new CORSConfiguration { Rules = [new CORSRule { AllowedOrigins = ["*"], AllowedMethods = ["GET"] }] },
        });
        using var http = nephele.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{bucket}?location");
        request.Headers.Add("Origin", "https://anywhere.example");
        var response = await http.SendAsync(request);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));

        using var put = new HttpRequestMessage(HttpMethod.Delete, $"/{bucket}?cors");
        put.Headers.Add("Origin", "https://anywhere.example");
        var denied = await http.SendAsync(put);
        Assert.False(denied.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static async Task<HttpResponseMessage> Preflight(HttpClient http, string path, string origin, string method, string? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        if (headers is not null) request.Headers.Add("Access-Control-Request-Headers", headers);
        return await http.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content) : null;
}
