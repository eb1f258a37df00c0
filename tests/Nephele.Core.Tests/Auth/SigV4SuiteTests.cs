using Nephele.Core.Auth;
using Nephele.Core.Protocols;

namespace Nephele.Core.Tests.Auth;

/// <summary>AWS's published SigV4 test suite, read from the verifying side.</summary>
public sealed class SigV4SuiteTests
{
    public static TheoryData<SigV4SuiteCase> Cases()
    {
        var data = new TheoryData<SigV4SuiteCase>();
        foreach (var c in SigV4SuiteVectors.All) data.Add(c);
        return data;
    }

    private static AwsRequest SignedRequest(SigV4SuiteCase c, string? signature = null)
    {
        var request = RawRequest.Parse(c.Request);
        request.Headers.Add("X-Amz-Date", SigV4SuiteCase.Timestamp);
        if (c.Token is not null) request.Headers.Add("X-Amz-Security-Token", c.Token);
        if (c.SignBody) request.Headers.Add("X-Amz-Content-Sha256", SigV4Canonical.Sha256Hex(request.BodyBytes));
        var lines = c.CanonicalRequest.Split('\n');
        var signedHeaders = lines[^2];
        request.Headers.Add("Authorization",
            $"AWS4-HMAC-SHA256 Credential={SigV4SuiteCase.AccessKeyId}/20150830/us-east-1/service/aws4_request, "
            + $"SignedHeaders={signedHeaders}, Signature={signature ?? c.Signature}");
        return request;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Canonical_request_matches_the_suite(SigV4SuiteCase c)
    {
        var request = SignedRequest(c);
        var credential = SigV4Credential.Parse(request)!;
        var payloadHash = request.Headers.Get("X-Amz-Content-Sha256") ?? SigV4Canonical.Sha256Hex(request.BodyBytes);

        var canonical = SigV4Canonical.CanonicalRequest(request, credential, payloadHash,
            c.Normalize ? CanonicalPathRules.Normalized : CanonicalPathRules.S3);

        Assert.Equal(c.CanonicalRequest, canonical);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Suite_signature_verifies(SigV4SuiteCase c)
    {
        var request = SignedRequest(c);
        var verifier = new SigV4Verifier(new ManualClock(SigV4SuiteCase.Time.AddMinutes(3)));

        var context = await verifier.VerifyAsync(request, SigV4Credential.Parse(request)!, SigV4SuiteCase.Secret);

        Assert.NotNull(context);
        Assert.Equal(c.Signature, context.SeedSignature);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Suite_request_with_another_secret_is_rejected_with_SignatureDoesNotMatch(SigV4SuiteCase c)
    {
        var request = SignedRequest(c);
        var verifier = new SigV4Verifier(new ManualClock(SigV4SuiteCase.Time));

        var error = await Assert.ThrowsAsync<AwsException>(async () =>
            await verifier.VerifyAsync(request, SigV4Credential.Parse(request)!, "not-the-secret"));

        Assert.Equal("SignatureDoesNotMatch", error.Code);
        Assert.Equal(403, error.HttpStatus);
        Assert.StartsWith(AuthErrors.SignatureMismatchMessage, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET /?Param2=value2&Param1=value1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5 HTTP/1.1\nHost:example.amazonaws.com\n")]
    [InlineData("GET /?\u1234=bar&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=0bdd809b1519ac4f0c1dc3540e2cc46bd0c7f778eda408b2ebf3b913d21ff600 HTTP/1.1\nHost:example.amazonaws.com\n")]
    public async Task Suite_presigned_url_verifies_within_its_expiry(string text)
    {
        var request = RawRequest.Parse(text);
        var credential = SigV4Credential.Parse(request)!;
        var verifier = new SigV4Verifier(new ManualClock(SigV4SuiteCase.Time.AddMinutes(50)));

        Assert.True(credential.IsPresigned);
        Assert.NotNull(await verifier.VerifyAsync(request, credential, SigV4SuiteCase.Secret));
    }

    [Fact]
    public async Task Suite_presigned_url_is_rejected_after_its_expiry_with_signature_expired()
    {
        var request = RawRequest.Parse("GET /?Param2=value2&Param1=value1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5 HTTP/1.1\nHost:example.amazonaws.com\n");
        var verifier = new SigV4Verifier(new ManualClock(SigV4SuiteCase.Time.AddMinutes(61)));

        var error = await Assert.ThrowsAsync<AwsException>(async () =>
            await verifier.VerifyAsync(request, SigV4Credential.Parse(request)!, SigV4SuiteCase.Secret));

        Assert.Equal("SignatureDoesNotMatch", error.Code);
        Assert.Equal(403, error.HttpStatus);
        Assert.Equal("Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T133700Z - 60 min.)", error.Message);
    }
}
