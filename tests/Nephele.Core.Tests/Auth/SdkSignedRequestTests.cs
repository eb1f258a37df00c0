using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Nephele.Core.Auth;
using Nephele.Core.Protocols;
using Nephele.Core.Time;

namespace Nephele.Core.Tests.Auth;

/// <summary>Requests signed by the official AWS SDK for .NET, verified by Nephele.</summary>
public sealed class SdkSignedRequestTests
{
    private static readonly BasicAWSCredentials TestCredentials = new("test", "test");
    private readonly SdkCapture _capture = new();
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);

    private AmazonS3Client S3(string scheme = "http") => new(TestCredentials, new AmazonS3Config
    {
        ServiceURL = $"{scheme}://localhost:4566",
        ForcePathStyle = true,
        AuthenticationRegion = "eu-west-1",
        HttpClientFactory = _capture,
        MaxErrorRetry = 0,
    });

    private async Task<SigV4SigningContext?> VerifyAsync(AwsRequest request, string secret = "test", AuthErrorDialect? dialect = null)
    {
        var credential = SigV4Credential.Parse(request);
        Assert.NotNull(credential);
        return await new SigV4Verifier(_clock).VerifyAsync(request, credential, secret, dialect);
    }

    [Fact]
    public async Task S3_GetObject_signed_by_the_sdk_verifies_and_routes_by_signing_name_and_region()
    {
        using var s3 = S3();
        var request = await _capture.CaptureAsync(() => s3.GetObjectAsync("my-bucket", "dir/a key+with (odd) chars~.txt"));

        var credential = SigV4Credential.TryParse(request)!;
        Assert.Equal(("test", "s3", "eu-west-1"), (credential.AccessKeyId, credential.Service, credential.Region));
        Assert.NotNull(await VerifyAsync(request));
    }

    [Fact]
    public async Task S3_request_checked_with_the_wrong_secret_fails_with_SignatureDoesNotMatch_and_the_canonical_request()
    {
        using var s3 = S3();
        var request = await _capture.CaptureAsync(() => s3.GetObjectAsync("my-bucket", "key"));

        var error = await Assert.ThrowsAsync<AwsException>(() => VerifyAsync(request, secret: "wrong"));

        Assert.Equal("SignatureDoesNotMatch", error.Code);
        Assert.Equal(403, error.HttpStatus);
        Assert.Equal(AuthErrors.SignatureMismatchMessage, error.Message);
        Assert.StartsWith("GET\n/my-bucket/key\n", (string)error.Fields["CanonicalRequest"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S3_PutObject_over_http_streams_signed_chunks_with_a_signed_checksum_trailer()
    {
        using var s3 = S3("http");
        var payload = Encoding.UTF8.GetBytes(new string('x', 200_000));
        var request = await _capture.CaptureAsync(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "my-bucket",
            Key = "big.bin",
            InputStream = new MemoryStream(payload),
            ChecksumAlgorithm = ChecksumAlgorithm.CRC32,
        }));
        Assert.Equal(SigV4Canonical.StreamingPayloadTrailer, request.Headers.Get("x-amz-content-sha256"));

        var signing = await VerifyAsync(request);
        await using var decoded = AwsChunkedStream.ForRequest(request, signing)!;
        using var output = new MemoryStream();
        await decoded.CopyToAsync(output);

        Assert.Equal(payload, output.ToArray());
        Assert.True(decoded.TrailingHeaders.ContainsKey("x-amz-checksum-crc32"));
    }

    [Fact]
    public async Task S3_PutObject_with_a_tampered_chunk_fails_with_SignatureDoesNotMatch()
    {
        using var s3 = S3("http");
        var request = await _capture.CaptureAsync(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "my-bucket",
            Key = "k",
            ContentBody = "hello chunked world",
            ChecksumAlgorithm = ChecksumAlgorithm.CRC32,
        }));
        var raw = request.BodyBytes.ToArray();
        var at = Encoding.ASCII.GetString(raw).IndexOf("hello", StringComparison.Ordinal);
        raw[at] = (byte)'j';

        var signing = await VerifyAsync(request);
        request.Body = new MemoryStream(raw);
        await using var decoded = AwsChunkedStream.ForRequest(request, signing)!;

        var error = await Assert.ThrowsAsync<AwsException>(() => decoded.CopyToAsync(Stream.Null));
        Assert.Equal("SignatureDoesNotMatch", error.Code);
    }

    [Fact]
    public async Task S3_PutObject_without_payload_signing_streams_unsigned_chunks_with_a_checksum_trailer()
    {
        using var s3 = S3("https");
        var request = await _capture.CaptureAsync(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "my-bucket",
            Key = "k",
            ContentBody = "hello world",
            ChecksumAlgorithm = ChecksumAlgorithm.CRC32,
            DisablePayloadSigning = true,
        }));
        Assert.Equal(SigV4Canonical.StreamingUnsignedPayloadTrailer, request.Headers.Get("x-amz-content-sha256"));

        var signing = await VerifyAsync(request);
        await using var decoded = AwsChunkedStream.ForRequest(request, signing)!;
        using var reader = new StreamReader(decoded);

        Assert.Equal("hello world", await reader.ReadToEndAsync());
        Assert.Equal("DUoRhQ==", decoded.TrailingHeaders["x-amz-checksum-crc32"]);
    }

    [Fact]
    public async Task S3_presigned_url_from_the_sdk_verifies_until_it_expires()
    {
        using var s3 = S3();
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = "my-bucket",
            Key = "report 2024.csv",
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.AddMinutes(5),
        });
        var request = SdkCapture.FromUrl(url);

        Assert.True(SigV4Credential.TryParse(request)!.IsPresigned);
        Assert.NotNull(await VerifyAsync(request));

        _clock.Now = _clock.Now.AddMinutes(6);
        var error = await Assert.ThrowsAsync<AwsException>(() => VerifyAsync(request));
        Assert.Equal(("AccessDenied", 403, "Request has expired"), (error.Code, error.HttpStatus, error.Message));
    }

    [Fact]
    public async Task Moving_nephele_clock_forward_keeps_signed_requests_valid_but_expires_presigned_urls()
    {
        var nephele = new NepheleClock(null, _clock);
        using var s3 = S3();
        var signed = await _capture.CaptureAsync(() => s3.GetObjectAsync("my-bucket", "key"));
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = "my-bucket",
            Key = "key",
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.AddMinutes(5),
        });

        nephele.Advance(TimeSpan.FromDays(2));

        var credential = SigV4Credential.Parse(signed)!;
        Assert.NotNull(await new SigV4Verifier(nephele).VerifyAsync(signed, credential, "test"));
        var presigned = SdkCapture.FromUrl(url);
        var error = await Assert.ThrowsAsync<AwsException>(() =>
            new SigV4Verifier(nephele).VerifyAsync(presigned, SigV4Credential.Parse(presigned)!, "test").AsTask());
        Assert.Equal("Request has expired", error.Message);
    }

    [Fact]
    public async Task S3_presigned_url_with_a_changed_key_fails_with_SignatureDoesNotMatch()
    {
        using var s3 = S3();
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = "my-bucket",
            Key = "mine.txt",
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.AddMinutes(5),
        });
        var request = SdkCapture.FromUrl(url.Replace("mine.txt", "yours.txt", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<AwsException>(() => VerifyAsync(request));

        Assert.Equal("SignatureDoesNotMatch", error.Code);
    }

    [Fact]
    public async Task S3_request_older_than_fifteen_minutes_fails_with_RequestTimeTooSkewed()
    {
        using var s3 = S3();
        var request = await _capture.CaptureAsync(() => s3.GetObjectAsync("my-bucket", "key"));
        _clock.Now = _clock.Now.AddMinutes(16);

        var error = await Assert.ThrowsAsync<AwsException>(() => VerifyAsync(request));

        Assert.Equal(("RequestTimeTooSkewed", 403), (error.Code, error.HttpStatus));
    }

    [Fact]
    public async Task Sqs_json_request_signed_by_the_sdk_verifies_from_its_body_hash()
    {
        _capture.ResponseBody = "{\"QueueUrls\":[]}";
        _capture.ResponseContentType = "application/x-amz-json-1.0";
        using var sqs = new AmazonSQSClient(new BasicAWSCredentials("123456789012", "test"), new AmazonSQSConfig
        {
            ServiceURL = "http://localhost:4566",
            AuthenticationRegion = "ap-south-1",
            HttpClientFactory = _capture,
            MaxErrorRetry = 0,
        });
        var request = await _capture.CaptureAsync(() => sqs.ListQueuesAsync(new ListQueuesRequest { QueueNamePrefix = "orders" }));

        var credential = SigV4Credential.TryParse(request)!;
        Assert.Equal(("sqs", "ap-south-1"), (credential.Service, credential.Region));
        Assert.NotNull(await VerifyAsync(request));
    }

    [Fact]
    public async Task Json_service_signature_mismatch_is_InvalidSignatureException()
    {
        using var sqs = new AmazonSQSClient(TestCredentials, new AmazonSQSConfig
        {
            ServiceURL = "http://localhost:4566",
            HttpClientFactory = _capture,
            MaxErrorRetry = 0,
        });
        var request = await _capture.CaptureAsync(() => sqs.ListQueuesAsync(new ListQueuesRequest()));
        request.Headers.Set("X-Amz-Target", "AmazonSQS.DeleteQueue");

        var error = await Assert.ThrowsAsync<AwsException>(() => VerifyAsync(request, dialect: AuthErrorDialect.Json));

        Assert.Equal(("InvalidSignatureException", 400), (error.Code, error.HttpStatus));
    }

    [Fact]
    public async Task Sts_query_request_with_a_form_body_verifies_and_fails_when_the_body_changes()
    {
        using var sts = new AmazonSecurityTokenServiceClient(TestCredentials, new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = "http://localhost:4566",
            HttpClientFactory = _capture,
            MaxErrorRetry = 0,
        });
        var request = await _capture.CaptureAsync(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));

        Assert.Equal("sts", SigV4Credential.TryParse(request)!.Service);
        Assert.NotNull(await VerifyAsync(request));

        var tampered = AwsRequest.FromBytes(request.Method, request.Path, Encoding.UTF8.GetBytes(request.BodyText + "&Extra=1"), request.Headers, request.Host);
        var error = await Assert.ThrowsAsync<AwsException>(() => VerifyAsync(tampered));
        Assert.Equal(("SignatureDoesNotMatch", 403), (error.Code, error.HttpStatus));
        Assert.Contains("The Canonical String for this request should have been", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sts_request_from_a_skewed_clock_fails_with_signature_expired()
    {
        using var sts = new AmazonSecurityTokenServiceClient(TestCredentials, new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = "http://localhost:4566",
            HttpClientFactory = _capture,
            MaxErrorRetry = 0,
        });
        var request = await _capture.CaptureAsync(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        _clock.Now = _clock.Now.AddMinutes(20);

        var error = await Assert.ThrowsAsync<AwsException>(() => VerifyAsync(request));

        Assert.Equal(("SignatureDoesNotMatch", 403), (error.Code, error.HttpStatus));
        Assert.StartsWith("Signature expired: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(" - 15 min.)", error.Message, StringComparison.Ordinal);
    }
}
