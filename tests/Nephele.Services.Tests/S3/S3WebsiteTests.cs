using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Nephele.Services.Tests.S3;

/// <summary>The static website endpoint, addressed by Host as browsers address it.</summary>
public sealed class S3WebsiteTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private AmazonS3Client S3() => S3TestClient.Create(nephele);

    private async Task<HttpResponseMessage> WebsiteAsync(string bucket, string path, HttpMethod? method = null, string style = ".s3-website.us-east-1")
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(nephele.Server.Endpoint, path));
        request.Headers.Host = $"{bucket}{style}.localhost.localstack.cloud:{nephele.Server.Endpoint.Port}";
        return await http.SendAsync(request);
    }

    /// <summary>A bucket everyone may read and list through the website endpoint: a public bucket policy, no public access block.</summary>
    private static async Task<string> PublicBucketAsync(AmazonS3Client s3, bool list = true)
    {
        var bucket = await s3.NewBucketAsync();
        await s3.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await s3.PutBucketPolicyAsync(bucket, PublicPolicy(bucket, list));
        return bucket;
    }

    private static string PublicPolicy(string bucket, bool list, string extra = "")
    {
        var read = $$"""{"Sid":"Read","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*"}""";
        var listing = $$""",{"Sid":"List","Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::{{bucket}}"}""";
        return """{"Version":"2012-10-17","Statement":[""" + read + (list ? listing : "") + extra + "]}";
    }

    private async Task PutHtmlAsync(AmazonS3Client s3, string bucket, string key, string body, string? redirect = null) =>
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = body, ContentType = "text/html", WebsiteRedirectLocation = redirect });

    [Fact]
    public async Task Website_serves_index_documents_folders_and_the_error_document()
    {
        var s3 = S3();
        var bucket = await PublicBucketAsync(s3);
        var unconfigured = await WebsiteAsync(bucket, "/");
        Assert.Equal(HttpStatusCode.NotFound, unconfigured.StatusCode);
        var page = await unconfigured.Content.ReadAsStringAsync();
        Assert.Contains("<li>Code: NoSuchWebsiteConfiguration</li>", page);
        Assert.Contains($"<li>BucketName: {bucket}</li>", page);
        Assert.Equal("text/html", unconfigured.Content.Headers.ContentType?.MediaType);

        await s3.PutBucketWebsiteAsync(new PutBucketWebsiteRequest
        {
            BucketName = bucket,
            WebsiteConfiguration = new WebsiteConfiguration { IndexDocumentSuffix = "index.html", ErrorDocument = "error.html" },
        });
        await PutHtmlAsync(s3, bucket, "index.html", "home");
        await PutHtmlAsync(s3, bucket, "docs/index.html", "docs home");
        await PutHtmlAsync(s3, bucket, "error.html", "oops");

        var home = await WebsiteAsync(bucket, "/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal("home", await home.Content.ReadAsStringAsync());
        Assert.Equal("text/html", home.Content.Headers.ContentType?.MediaType);
        Assert.Equal("docs home", await (await WebsiteAsync(bucket, "/docs/")).Content.ReadAsStringAsync());
        Assert.Equal("docs home", await (await WebsiteAsync(bucket, "/docs/", style: ".s3-website-us-east-1")).Content.ReadAsStringAsync());
        var folder = await WebsiteAsync(bucket, "/docs");
        Assert.Equal(HttpStatusCode.Found, folder.StatusCode);
        Assert.Equal("/docs/", folder.Headers.Location?.ToString());

        var missing = await WebsiteAsync(bucket, "/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("oops", await missing.Content.ReadAsStringAsync());

        var head = await WebsiteAsync(bucket, "/", HttpMethod.Head);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(4, head.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await WebsiteAsync(bucket, "/", HttpMethod.Post)).StatusCode);

        var etag = home.Headers.ETag!;
        using (var http = new HttpClient())
        {
            var conditional = new HttpRequestMessage(HttpMethod.Get, new Uri(nephele.Server.Endpoint, "/"));
            conditional.Headers.Host = $"{bucket}.s3-website.us-east-1.localhost:{nephele.Server.Endpoint.Port}";
            conditional.Headers.IfNoneMatch.Add(etag);
            Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(conditional)).StatusCode);
        }

        await s3.DeleteObjectAsync(bucket, "error.html");
        var bare = await WebsiteAsync(bucket, "/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, bare.StatusCode);
        var html = await bare.Content.ReadAsStringAsync();
        Assert.Contains("<h1>404 Not Found</h1>", html);
        Assert.Contains("<li>Code: NoSuchKey</li>", html);
        Assert.Contains("<li>Key: nothing-here</li>", html);
        Assert.Contains("An Error Occurred While Attempting to Retrieve a Custom Error Document", html);
        Assert.Contains("<li>Key: error.html</li>", html);

        var noBucket = await WebsiteAsync("no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], "/");
        Assert.Equal(HttpStatusCode.NotFound, noBucket.StatusCode);
        Assert.Contains("<li>Code: NoSuchBucket</li>", await noBucket.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Website_redirects_by_routing_rules_object_redirects_and_redirect_all()
    {
        var s3 = S3();
        var bucket = await PublicBucketAsync(s3);
        await s3.PutBucketWebsiteAsync(new PutBucketWebsiteRequest
        {
            BucketName = bucket,
            WebsiteConfiguration = new WebsiteConfiguration
            {
                IndexDocumentSuffix = "index.html",
                RoutingRules =
                [
                    new RoutingRule
                    {
                        Condition = new RoutingRuleCondition { KeyPrefixEquals = "old/" },
                        Redirect = new RoutingRuleRedirect { ReplaceKeyPrefixWith = "new/" },
                    },
                    new RoutingRule
                    {
                        Condition = new RoutingRuleCondition { KeyPrefixEquals = "images/", HttpErrorCodeReturnedEquals = "404" },
                        Redirect = new RoutingRuleRedirect { HostName = "cdn.example.com", Protocol = "https", ReplaceKeyWith = "missing.png", HttpRedirectCode = "302" },
                    },
                ],
            },
        });
        await PutHtmlAsync(s3, bucket, "images/logo.png", "png");
        await PutHtmlAsync(s3, bucket, "moved.html", "", redirect: "/new/place.html");

        var renamed = await WebsiteAsync(bucket, "/old/page.html");
        Assert.Equal(HttpStatusCode.MovedPermanently, renamed.StatusCode);
        Assert.Equal($"http://{bucket}.s3-website.us-east-1.localhost.localstack.cloud:{nephele.Server.Endpoint.Port}/new/page.html",
            renamed.Headers.Location?.ToString());

        Assert.Equal(HttpStatusCode.OK, (await WebsiteAsync(bucket, "/images/logo.png")).StatusCode);
        var missingImage = await WebsiteAsync(bucket, "/images/gone.png");
        Assert.Equal(HttpStatusCode.Found, missingImage.StatusCode);
        Assert.Equal("https://cdn.example.com/missing.png", missingImage.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await WebsiteAsync(bucket, "/other/gone.png")).StatusCode);

        var moved = await WebsiteAsync(bucket, "/moved.html");
        Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
        Assert.Equal("/new/place.html", moved.Headers.Location?.ToString());

        var forwarding = await s3.NewBucketAsync();
        await s3.PutBucketWebsiteAsync(new PutBucketWebsiteRequest
        {
            BucketName = forwarding,
            WebsiteConfiguration = new WebsiteConfiguration { RedirectAllRequestsTo = new RoutingRuleRedirect { HostName = "example.org", Protocol = "https" } },
        });
        var all = await WebsiteAsync(forwarding, "/a/b.html");
        Assert.Equal(HttpStatusCode.MovedPermanently, all.StatusCode);
        Assert.Equal("https://example.org/a/b.html", all.Headers.Location?.ToString());
    }

    private static Task ConfigureAsync(AmazonS3Client s3, string bucket) => s3.PutBucketWebsiteAsync(new PutBucketWebsiteRequest
    {
        BucketName = bucket,
        WebsiteConfiguration = new WebsiteConfiguration { IndexDocumentSuffix = "index.html" },
    });

    private static async Task AssertAccessDeniedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>403 Forbidden</h1>", page);
        Assert.Contains("<li>Code: AccessDenied</li>", page);
        Assert.Contains("<li>Message: Access Denied</li>", page);
    }

    [Fact]
    public async Task A_bucket_that_is_not_public_answers_403_access_denied()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        await ConfigureAsync(s3, bucket);
        await PutHtmlAsync(s3, bucket, "index.html", "secret");
        await AssertAccessDeniedAsync(await WebsiteAsync(bucket, "/"));
        await AssertAccessDeniedAsync(await WebsiteAsync(bucket, "/missing.html"));
    }

    [Fact]
    public async Task Without_list_permission_a_missing_key_is_403_and_with_it_404()
    {
        var s3 = S3();
        var bucket = await PublicBucketAsync(s3, list: false);
        await ConfigureAsync(s3, bucket);
        await PutHtmlAsync(s3, bucket, "index.html", "home");
        Assert.Equal("home", await (await WebsiteAsync(bucket, "/")).Content.ReadAsStringAsync());
        await AssertAccessDeniedAsync(await WebsiteAsync(bucket, "/missing.html"));

        await s3.PutBucketPolicyAsync(bucket, PublicPolicy(bucket, list: true));
        Assert.Equal(HttpStatusCode.NotFound, (await WebsiteAsync(bucket, "/missing.html")).StatusCode);
    }

    [Fact]
    public async Task Policy_denials_and_conditions_are_evaluated_for_the_anonymous_visitor()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        await s3.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        var deny = $$""",{"Sid":"Private","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/private/*"}""";
        await s3.PutBucketPolicyAsync(bucket, PublicPolicy(bucket, list: true, deny));
        await ConfigureAsync(s3, bucket);
        await PutHtmlAsync(s3, bucket, "public/a.html", "a");
        await PutHtmlAsync(s3, bucket, "private/b.html", "b");
        Assert.Equal("a", await (await WebsiteAsync(bucket, "/public/a.html")).Content.ReadAsStringAsync());
        await AssertAccessDeniedAsync(await WebsiteAsync(bucket, "/private/b.html"));

        // A condition on the Referer header, as sites use against hot-linking.
        var referer = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::BUCKET/*",
              "Condition":{"StringLike":{"aws:Referer":"https://example.com/*"}}}]}
            """.Replace("BUCKET", bucket, StringComparison.Ordinal);
        await s3.PutBucketPolicyAsync(bucket, referer);
        await AssertAccessDeniedAsync(await WebsiteAsync(bucket, "/public/a.html"));
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(nephele.Server.Endpoint, "/public/a.html"));
        request.Headers.Host = $"{bucket}.s3-website.us-east-1.localhost:{nephele.Server.Endpoint.Port}";
        request.Headers.Referrer = new Uri("https://example.com/page");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Block_public_access_overrides_a_public_policy()
    {
        var s3 = S3();
        var bucket = await PublicBucketAsync(s3);
        await ConfigureAsync(s3, bucket);
        await PutHtmlAsync(s3, bucket, "index.html", "home");
        Assert.Equal(HttpStatusCode.OK, (await WebsiteAsync(bucket, "/")).StatusCode);
        await s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = bucket,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration { RestrictPublicBuckets = true },
        });
        await AssertAccessDeniedAsync(await WebsiteAsync(bucket, "/"));
    }

    [Fact]
    public async Task A_public_read_object_acl_serves_the_object_unless_public_acls_are_ignored()
    {
        var s3 = S3();
        var bucket = "web-" + Guid.NewGuid().ToString("N")[..16];
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectOwnership = ObjectOwnership.ObjectWriter });
        await s3.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await ConfigureAsync(s3, bucket);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "index.html", ContentBody = "open", CannedACL = S3CannedACL.PublicRead });
        await PutHtmlAsync(s3, bucket, "closed.html", "closed");
        Assert.Equal("open", await (await WebsiteAsync(bucket, "/")).Content.ReadAsStringAsync());
        await AssertAccessDeniedAsync(await WebsiteAsync(bucket, "/closed.html"));

        await s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = bucket,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration { IgnorePublicAcls = true },
        });
        await AssertAccessDeniedAsync(await WebsiteAsync(bucket, "/"));
    }
}
