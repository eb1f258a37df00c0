using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Nephele.Core.Auth;
using Nephele.Core.Protocols;

namespace Nephele.Core.Tests.Auth;

/// <summary>The gateway's view: one call per request, with and without --enforce-signatures.</summary>
public sealed class RequestAuthenticatorTests
{
    private readonly SdkCapture _capture = new();
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly CredentialStore _store = new(Nephele.Core.State.SqliteStateStore.Open(null));

    private RequestAuthenticator Authenticator(bool enforce) => new(_store, _clock, enforce);

    private AmazonSecurityTokenServiceClient Sts(AWSCredentials credentials) => new(credentials, new AmazonSecurityTokenServiceConfig
    {
        ServiceURL = "http://localhost:4566",
        AuthenticationRegion = "eu-north-1",
        HttpClientFactory = _capture,
        MaxErrorRetry = 0,
    });

    private AmazonS3Client S3(AWSCredentials credentials) => new(credentials, new AmazonS3Config
    {
        ServiceURL = "http://localhost:4566",
        ForcePathStyle = true,
        HttpClientFactory = _capture,
        MaxErrorRetry = 0,
    });

    private async Task<AwsRequest> StsCall(AWSCredentials credentials)
    {
        using var sts = Sts(credentials);
        return await _capture.CaptureAsync(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
    }

    private Task<AuthenticatedRequest> Authenticate(AwsRequest request, bool enforce) =>
        Authenticator(enforce).AuthenticateAsync(request, SigV4Credential.TryParse(request)).AsTask();

    [Fact]
    public async Task Without_enforcement_any_signature_is_accepted_and_the_key_picks_the_account()
    {
        var request = await StsCall(new BasicAWSCredentials("210987654321", "not-test"));

        var result = await Authenticate(request, enforce: false);

        Assert.Equal(("210987654321", "eu-north-1"), (result.Caller.AccountId, result.Region));
        Assert.Null(result.Signing);
    }

    [Fact]
    public async Task With_enforcement_test_credentials_verify_as_the_default_account_root()
    {
        var request = await StsCall(new BasicAWSCredentials("test", "test"));

        var result = await Authenticate(request, enforce: true);

        Assert.Equal(("000000000000", "arn:aws:iam::000000000000:root"), (result.Caller.AccountId, result.Caller.Arn));
        Assert.NotNull(result.Signing);
    }

    [Fact]
    public async Task With_enforcement_a_twelve_digit_key_with_the_wrong_secret_is_SignatureDoesNotMatch()
    {
        var request = await StsCall(new BasicAWSCredentials("210987654321", "not-test"));

        var error = await Assert.ThrowsAsync<AwsException>(() => Authenticate(request, enforce: true));

        Assert.Equal(("SignatureDoesNotMatch", 403), (error.Code, error.HttpStatus));
    }

    [Fact]
    public async Task With_enforcement_an_unknown_key_is_InvalidClientTokenId()
    {
        var request = await StsCall(new BasicAWSCredentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));

        var error = await Assert.ThrowsAsync<AwsException>(() => Authenticate(request, enforce: true));

        Assert.Equal(("InvalidClientTokenId", 403, "The security token included in the request is invalid."), (error.Code, error.HttpStatus, error.Message));
    }

    [Fact]
    public async Task With_enforcement_an_unknown_key_on_S3_is_InvalidAccessKeyId()
    {
        using var s3 = S3(new BasicAWSCredentials("AKIAIOSFODNN7EXAMPLE", "secret"));
        var request = await _capture.CaptureAsync(() => s3.ListBucketsAsync());

        var error = await Assert.ThrowsAsync<AwsException>(() => Authenticate(request, enforce: true));

        Assert.Equal(("InvalidAccessKeyId", 403), (error.Code, error.HttpStatus));
    }

    [Fact]
    public async Task With_enforcement_issued_session_credentials_act_as_their_principal_until_they_expire()
    {
        var identity = new CallerIdentity("ASIAEXAMPLE", "111122223333", "arn:aws:sts::111122223333:assumed-role/deploy/ci", "AROAX:ci");
        _store.Add(new IssuedCredential("ASIAEXAMPLE", "issued-secret", "the-token", identity, _clock.Now.AddMinutes(10)));
        var request = await StsCall(new SessionAWSCredentials("ASIAEXAMPLE", "issued-secret", "the-token"));

        var result = await Authenticate(request, enforce: true);
        Assert.Equal(("111122223333", "the-token"), (result.Caller.AccountId, result.Caller.SessionToken));

        _clock.Now = _clock.Now.AddMinutes(11);
        var error = await Assert.ThrowsAsync<AwsException>(() => Authenticate(request, enforce: true));
        Assert.Equal(("ExpiredToken", 403), (error.Code, error.HttpStatus));
    }

    [Fact]
    public async Task With_enforcement_a_request_without_credentials_is_MissingAuthenticationToken_except_on_S3()
    {
        var sts = RawRequest.Build("POST", "/", "localhost:4566", "Action=GetCallerIdentity&Version=2011-06-15"u8.ToArray());
        var s3 = RawRequest.Build("GET", "/public-bucket/object", "localhost:4566");

        var error = await Assert.ThrowsAsync<AwsException>(() => Authenticator(true).AuthenticateAsync(sts, null).AsTask());
        var anonymous = await Authenticator(true).AuthenticateAsync(s3, null, AuthErrorDialect.S3);

        Assert.Equal(("MissingAuthenticationToken", 403), (error.Code, error.HttpStatus));
        Assert.Equal("000000000000", anonymous.Caller.AccountId);
    }

    [Fact]
    public async Task With_enforcement_a_malformed_header_the_router_ignored_is_IncompleteSignature()
    {
        var request = RawRequest.Build("POST", "/", "localhost:4566",
            ("Authorization", "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sts/aws4_request"));

        var error = await Assert.ThrowsAsync<AwsException>(() => Authenticate(request, enforce: true));

        Assert.Equal(("IncompleteSignature", 400), (error.Code, error.HttpStatus));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Aws_chunked_upload_body_is_replaced_by_its_decoded_payload(bool enforce)
    {
        using var s3 = S3(new BasicAWSCredentials("test", "test"));
        var request = await _capture.CaptureAsync(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "bucket",
            Key = "k",
            ContentBody = "streamed through aws-chunked",
            ChecksumAlgorithm = ChecksumAlgorithm.CRC32,
        }));

        var result = await Authenticate(request, enforce);
        using var reader = new StreamReader(request.Body);

        Assert.Equal("streamed through aws-chunked", await reader.ReadToEndAsync());
        Assert.IsType<AwsChunkedStream>(request.Body);
        Assert.Equal(enforce, result.Signing is not null);
    }

    [Fact]
    public async Task With_enforcement_an_S3_body_that_differs_from_its_declared_sha256_fails_when_read()
    {
        var body = "the real body"u8.ToArray();
        var request = RawRequest.Build("PUT", "/b/k", "localhost:4566", body,
            ("x-amz-content-sha256", SigV4Canonical.Sha256Hex("another body"u8)),
            ("x-amz-date", AuthErrors.Iso(_clock.Now)));
        SignForTest(request, "test", "test", "us-east-1", "s3", "host;x-amz-content-sha256;x-amz-date");

        await Authenticate(request, enforce: true);
        var error = await Assert.ThrowsAsync<AwsException>(() => request.Body.CopyToAsync(Stream.Null));

        Assert.Equal(("XAmzContentSHA256Mismatch", 400), (error.Code, error.HttpStatus));
    }

    [Fact]
    public async Task With_enforcement_an_S3_body_that_matches_its_declared_sha256_reads_through()
    {
        var request = RawRequest.Build("PUT", "/b/k", "localhost:4566", "payload"u8.ToArray(),
            ("x-amz-content-sha256", SigV4Canonical.Sha256Hex("payload"u8)),
            ("x-amz-date", AuthErrors.Iso(_clock.Now)));
        SignForTest(request, "test", "test", "us-east-1", "s3", "host;x-amz-content-sha256;x-amz-date");

        await Authenticate(request, enforce: true);
        using var reader = new StreamReader(request.Body, Encoding.UTF8);

        Assert.Equal("payload", await reader.ReadToEndAsync());
    }

    /// <summary>Signs a hand-built request with Nephele's own canonicalization (proven by the suite and SDK tests).</summary>
    internal static void SignForTest(AwsRequest request, string accessKeyId, string secret, string region, string service, string signedHeaders)
    {
        var timestamp = request.Headers.Get("x-amz-date")!;
        var credential = new SigV4Credential
        {
            AccessKeyId = accessKeyId,
            Date = timestamp[..8],
            Region = region,
            Service = service,
            SignedHeaders = signedHeaders,
        };
        var canonical = SigV4Canonical.CanonicalRequest(request, credential, request.Headers.Get("x-amz-content-sha256")!,
            AuthErrors.IsS3(service) ? CanonicalPathRules.S3 : CanonicalPathRules.Normalized);
        var signature = Convert.ToHexStringLower(SigV4Canonical.Sign(
            SigV4Canonical.SigningKey(secret, credential.Date, region, service), SigV4Canonical.StringToSign(timestamp, credential.Scope, canonical)));
        request.Headers.Add("Authorization", $"AWS4-HMAC-SHA256 Credential={accessKeyId}/{credential.Scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }
}
