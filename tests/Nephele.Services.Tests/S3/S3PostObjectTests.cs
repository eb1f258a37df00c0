using System.Net;
using System.Text;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using Nephele.Core.Gateway;

namespace Nephele.Services.Tests.S3;

/// <summary>Browser uploads: multipart/form-data POSTs to the bucket's URL under a POST policy.</summary>
public sealed class S3PostObjectTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private AmazonS3Client S3() => S3TestClient.Create(nephele);

    /// <summary>A form in the order browsers send it: fields, then the file.</summary>
    internal static MultipartFormDataContent Form(IEnumerable<KeyValuePair<string, string>> fields, byte[] file, string fileName = "upload.txt")
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        form.Add(new ByteArrayContent(file), "file", fileName);
        return form;
    }

    /// <summary>A policy document with the SigV4 fields its form carries (signed with the test secret).</summary>
    private static Dictionary<string, string> PolicyFields(string policyJson)
    {
        var date = DateTime.UtcNow.ToString("yyyyMMdd");
        var credential = $"test/{date}/us-east-1/s3/aws4_request";
        var policy = Convert.ToBase64String(Encoding.UTF8.GetBytes(policyJson.Replace("$CREDENTIAL", credential, StringComparison.Ordinal)));
        return new()
        {
            ["x-amz-algorithm"] = "AWS4-HMAC-SHA256",
            ["x-amz-credential"] = credential,
            ["x-amz-date"] = date + "T000000Z",
            ["policy"] = policy,
            ["x-amz-signature"] = new string('0', 64),
        };
    }

    private static string Expiration(TimeSpan fromNow) => DateTime.UtcNow.Add(fromNow).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private static string Policy(string expiration, string extraConditions) =>
        $$"""{"expiration": "{{expiration}}", "conditions": [["starts-with", "$key", "user/"], {"x-amz-algorithm": "AWS4-HMAC-SHA256"}, {"x-amz-credential": "$CREDENTIAL"}, ["starts-with", "$x-amz-date", ""]{{extraConditions}}]}""";

    private async Task<HttpResponseMessage> PostAsync(string bucket, IEnumerable<KeyValuePair<string, string>> fields, byte[] file, string fileName = "upload.txt")
    {
        using var http = nephele.Http();
        return await http.PostAsync("/" + bucket, Form(fields, file, fileName));
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? message = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, body);
        var error = XDocument.Parse(body).Root!;
        Assert.Equal(code, error.Element("Code")?.Value);
        if (message is not null) Assert.Equal(message, error.Element("Message")?.Value);
    }

    [Fact]
    public async Task Sdk_presigned_post_uploads_the_file_with_its_fields_and_answers_204()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        var presigned = await s3.CreatePresignedPostAsync(new CreatePresignedPostRequest
        {
            BucketName = bucket,
            Key = "uploads/${filename}",
            Expires = DateTime.UtcNow.AddMinutes(5),
            Fields = new Dictionary<string, string> { ["Content-Type"] = "text/plain", ["x-amz-meta-owner"] = "alice" },
            Conditions = [S3PostCondition.ContentLengthRange(1, 1024), S3PostCondition.StartsWith("key", "uploads/")],
        });
        using var http = new HttpClient();
        var response = await http.PostAsync(presigned.Url, Form(presigned.Fields, "hello from a browser"u8.ToArray(), "greeting.txt"));
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
        Assert.Equal("\"" + Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData("hello from a browser"u8)) + "\"", response.Headers.ETag?.Tag);
        Assert.EndsWith($"/{bucket}/uploads%2Fgreeting.txt", response.Headers.Location?.ToString());

        using var get = await s3.GetObjectAsync(bucket, "uploads/greeting.txt");
        Assert.Equal("hello from a browser", await new StreamReader(get.ResponseStream).ReadToEndAsync());
        Assert.Equal("text/plain", get.Headers.ContentType);
        Assert.Equal("alice", get.Metadata["owner"]);
        Assert.Equal(ServerSideEncryptionMethod.AES256, get.ServerSideEncryptionMethod);
    }

    [Fact]
    public async Task Post_success_actions_answer_201_with_a_post_response_200_or_a_303_redirect()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        // A condition on a field the form lacks fails, even starts-with "": each form gets the policy it needs.
        var policy = Policy(Expiration(TimeSpan.FromMinutes(5)), """, ["starts-with", "$success_action_status", ""]""");
        var redirectPolicy = Policy(Expiration(TimeSpan.FromMinutes(5)), """, ["starts-with", "$success_action_redirect", "http://example.com/"]""");

        var created = await PostAsync(bucket, [new("key", "user/${filename}"), new("success_action_status", "201"), .. PolicyFields(policy)], "one"u8.ToArray(), "a b.txt");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var document = XDocument.Parse(await created.Content.ReadAsStringAsync()).Root!;
        Assert.Equal("PostResponse", document.Name.LocalName);
        Assert.Equal(bucket, document.Element("Bucket")?.Value);
        Assert.Equal("user/a b.txt", document.Element("Key")?.Value);
        Assert.Equal(created.Headers.ETag?.Tag, document.Element("ETag")?.Value);
        Assert.EndsWith($"/{bucket}/user%2Fa%20b.txt", document.Element("Location")?.Value);

        var ok = await PostAsync(bucket, [new("key", "user/two"), new("success_action_status", "200"), .. PolicyFields(policy)], "two"u8.ToArray());
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = nephele.Server.Endpoint };
        var redirected = await http.PostAsync("/" + bucket, Form(
            [new("key", "user/three"), new("success_action_redirect", "http://example.com/done?x=1"), .. PolicyFields(redirectPolicy)], "three"u8.ToArray()));
        Assert.Equal(HttpStatusCode.SeeOther, redirected.StatusCode);
        var location = redirected.Headers.Location!.OriginalString;
        Assert.StartsWith($"http://example.com/done?x=1&bucket={bucket}&key=user%2Fthree&etag=%22", location);
        Assert.Equal("three", await s3.ReadAsync(bucket, "user/three"));
    }

    [Fact]
    public async Task Post_policy_violations_get_s3s_errors_and_store_nothing()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        var future = Expiration(TimeSpan.FromMinutes(5));
        var file = "payload"u8.ToArray();

        var expired = await PostAsync(bucket, [new("key", "user/x"), .. PolicyFields(Policy(Expiration(TimeSpan.FromMinutes(-1)), ""))], file);
        await AssertErrorAsync(expired, HttpStatusCode.Forbidden, "AccessDenied", "Invalid according to Policy: Policy expired.");

        var wrongKey = await PostAsync(bucket, [new("key", "admin/x"), .. PolicyFields(Policy(future, ""))], file);
        await AssertErrorAsync(wrongKey, HttpStatusCode.Forbidden, "AccessDenied", """Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "user/"]""");

        var extra = await PostAsync(bucket, [new("key", "user/x"), new("x-amz-meta-note", "hi"), .. PolicyFields(Policy(future, ""))], file);
        await AssertErrorAsync(extra, HttpStatusCode.Forbidden, "AccessDenied", "Invalid according to Policy: Extra input fields: x-amz-meta-note");

        var ignored = await PostAsync(bucket, [new("key", "user/ignored"), new("x-ignore-tracker", "1"), .. PolicyFields(Policy(future, ""))], file);
        Assert.Equal(HttpStatusCode.NoContent, ignored.StatusCode);

        var sized = Policy(future, """, ["content-length-range", 2, 5]""");
        var large = await PostAsync(bucket, [new("key", "user/large"), .. PolicyFields(sized)], file);
        await AssertErrorAsync(large, HttpStatusCode.BadRequest, "EntityTooLarge");
        Assert.Contains("<ProposedSize>7</ProposedSize>", await large.Content.ReadAsStringAsync());
        var small = await PostAsync(bucket, [new("key", "user/small"), .. PolicyFields(sized)], "x"u8.ToArray());
        await AssertErrorAsync(small, HttpStatusCode.BadRequest, "EntityTooSmall");

        var notJson = await PostAsync(bucket, [new("key", "user/x"), .. PolicyFields("{not json")], file);
        await AssertErrorAsync(notJson, HttpStatusCode.BadRequest, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.");

        var fields = PolicyFields(Policy(future, ""));
        fields.Remove("x-amz-signature");
        var unsigned = await PostAsync(bucket, [new("key", "user/x"), .. fields], file);
        await AssertErrorAsync(unsigned, HttpStatusCode.BadRequest, "InvalidArgument",
            "Bucket POST must contain a field named 'X-Amz-Signature'.  If it is specified, please check the order of the fields.");

        var noKey = await PostAsync(bucket, PolicyFields(Policy(future, "")), file);
        await AssertErrorAsync(noKey, HttpStatusCode.BadRequest, "InvalidArgument");
        using (var http = nephele.Http())
        {
            using var noFile = new MultipartFormDataContent { { new StringContent("user/x"), "key" } };
            await AssertErrorAsync(await http.PostAsync("/" + bucket, noFile), HttpStatusCode.BadRequest, "InvalidArgument",
                "POST requires exactly one file upload per request.");
            var notForm = await http.PostAsync("/" + bucket, new StringContent("key=x"));
            await AssertErrorAsync(notForm, HttpStatusCode.PreconditionFailed, "PreconditionFailed");
        }

        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Equal(["user/ignored"], (listed.S3Objects ?? []).Select(o => o.Key));
    }

    [Fact]
    public async Task Post_fields_set_tags_encryption_and_the_bucket_default_applies()
    {
        var s3 = S3();
        var bucket = await s3.NewBucketAsync();
        var anonymous = await PostAsync(bucket,
        [
            new("key", "tagged"),
            new("tagging", "<Tagging><TagSet><Tag><Key>team</Key><Value>web</Value></Tag></TagSet></Tagging>"),
            new("x-amz-server-side-encryption", "aws:kms"),
            new("Cache-Control", "max-age=60"),
        ], "tagged body"u8.ToArray());
        Assert.Equal(HttpStatusCode.NoContent, anonymous.StatusCode);
        Assert.Equal("aws:kms", anonymous.Headers.GetValues("x-amz-server-side-encryption").Single());
        var tags = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "tagged" });
        Assert.Equal("web", Assert.Single(tags.Tagging).Value);
        var head = await s3.GetObjectMetadataAsync(bucket, "tagged");
        Assert.Equal("max-age=60", head.Headers.CacheControl);
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, head.ServerSideEncryptionMethod);
        Assert.Equal("tagged body", await s3.ReadAsync(bucket, "tagged"));

        var malformed = await PostAsync(bucket, [new("key", "bad"), new("tagging", "not-xml")], "x"u8.ToArray());
        await AssertErrorAsync(malformed, HttpStatusCode.BadRequest, "MalformedXML");
    }
}

/// <summary>With signature enforcement on, the policy's signature is verified and anonymous forms are refused.</summary>
public sealed class S3SignedPostObjectTests(SignatureEnforcingFixture nephele) : IClassFixture<SignatureEnforcingFixture>
{
    private readonly NepheleServer _server = nephele.Server;

    [Fact]
    public async Task Only_a_correctly_signed_policy_uploads()
    {
        var s3 = new AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials("test", "test"),
            new AmazonS3Config { ServiceURL = _server.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var bucket = await s3.NewBucketAsync();
        var presigned = await s3.CreatePresignedPostAsync(new CreatePresignedPostRequest { BucketName = bucket, Key = "signed", Expires = DateTime.UtcNow.AddMinutes(5) });
        using var http = new HttpClient { BaseAddress = _server.Endpoint };

        var signatureField = presigned.Fields.Keys.Single(k => k.Equals("x-amz-signature", StringComparison.OrdinalIgnoreCase));
        var policy = presigned.Fields.Single(f => f.Key.Equals("policy", StringComparison.OrdinalIgnoreCase)).Value;
        var tampered = new Dictionary<string, string>(presigned.Fields) { [signatureField] = new string('a', 64) };
        var forged = await http.PostAsync("/" + bucket, S3PostObjectTests.Form(tampered, "x"u8.ToArray()));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        var body = await forged.Content.ReadAsStringAsync();
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", body);
        Assert.Contains($"<StringToSign>{policy}</StringToSign>", body);

        var anonymous = await http.PostAsync("/" + bucket, S3PostObjectTests.Form([new("key", "anonymous")], "x"u8.ToArray()));
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);

        var signed = await http.PostAsync("/" + bucket, S3PostObjectTests.Form(presigned.Fields, "signed body"u8.ToArray()));
        Assert.Equal(HttpStatusCode.NoContent, signed.StatusCode);
        Assert.Equal("signed body", await s3.ReadAsync(bucket, "signed"));
    }
}
