using Nephele.Core.Auth;
using Nephele.Core.Protocols;

namespace Nephele.Core.Tests.Auth;

/// <summary>The verifier's rules around the signature itself: time, scope, required headers, expiry limits.</summary>
public sealed class SigV4VerifierTests
{
    private static readonly DateTimeOffset SignedAt = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static AwsRequest Signed(string service = "sqs", string signedHeaders = "host;x-amz-content-sha256;x-amz-date", string? amzDate = null)
    {
        var request = RawRequest.Build("POST", "/", "localhost:4566", "{}"u8.ToArray(),
            ("x-amz-content-sha256", SigV4Canonical.Sha256Hex("{}"u8)),
            ("x-amz-date", amzDate ?? AuthErrors.Iso(SignedAt)));
        RequestAuthenticatorTests.SignForTest(request, "test", "test", "us-east-1", service, signedHeaders);
        return request;
    }

    private static Task<SigV4SigningContext?> Verify(AwsRequest request, DateTimeOffset now, AuthErrorDialect? dialect = null) =>
        new SigV4Verifier(new ManualClock(now)).VerifyAsync(request, SigV4Credential.Parse(request)!, "test", dialect).AsTask();

    [Theory]
    [InlineData(-14)]
    [InlineData(14)]
    public async Task Request_within_fifteen_minutes_of_the_clock_verifies(int minutes)
    {
        Assert.NotNull(await Verify(Signed(), SignedAt.AddMinutes(minutes)));
    }

    [Fact]
    public async Task Request_signed_too_far_in_the_future_is_signature_not_yet_current()
    {
        var error = await Assert.ThrowsAsync<AwsException>(() => Verify(Signed(), SignedAt.AddMinutes(-16)));

        Assert.Equal("SignatureDoesNotMatch", error.Code);
        Assert.Equal("Signature not yet current: 20250301T100000Z is still later than 20250301T095900Z (20250301T094400Z + 15 min.)", error.Message);
    }

    [Fact]
    public async Task Json_service_request_older_than_fifteen_minutes_is_InvalidSignatureException_signature_expired()
    {
        var error = await Assert.ThrowsAsync<AwsException>(() => Verify(Signed("dynamodb"), SignedAt.AddMinutes(16), AuthErrorDialect.Json));

        Assert.Equal(("InvalidSignatureException", 400), (error.Code, error.HttpStatus));
        Assert.Equal("Signature expired: 20250301T100000Z is now earlier than 20250301T100100Z (20250301T101600Z - 15 min.)", error.Message);
    }

    [Fact]
    public async Task Credential_scope_date_other_than_the_request_date_is_rejected()
    {
        var request = Signed();
        request.Headers.Set("x-amz-date", "20250302T100000Z");

        var error = await Assert.ThrowsAsync<AwsException>(() => Verify(request, SignedAt.AddDays(1)));

        Assert.Equal("SignatureDoesNotMatch", error.Code);
        Assert.StartsWith("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20250301' != '20250302'",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signature_that_leaves_out_host_is_IncompleteSignature()
    {
        var error = await Assert.ThrowsAsync<AwsException>(() => Verify(Signed(signedHeaders: "x-amz-content-sha256;x-amz-date"), SignedAt));

        Assert.Equal(("IncompleteSignature", 400), (error.Code, error.HttpStatus));
    }

    [Fact]
    public async Task Request_without_a_date_is_IncompleteSignature()
    {
        var request = Signed();
        request.Headers.Remove("x-amz-date");

        var error = await Assert.ThrowsAsync<AwsException>(() => Verify(request, SignedAt));

        Assert.Equal("IncompleteSignature", error.Code);
        Assert.StartsWith("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S3_request_without_x_amz_content_sha256_is_InvalidRequest()
    {
        var request = Signed("s3");
        request.Headers.Remove("x-amz-content-sha256");

        var error = await Assert.ThrowsAsync<AwsException>(() => Verify(request, SignedAt));

        Assert.Equal(("InvalidRequest", 400, "Missing required header for this request: x-amz-content-sha256"), (error.Code, error.HttpStatus, error.Message));
    }

    [Fact]
    public async Task Changed_header_value_fails_the_signature()
    {
        var request = Signed("sqs", "content-type;host;x-amz-content-sha256;x-amz-date");
        request.Headers.Add("Content-Type", "application/x-amz-json-1.0");

        var error = await Assert.ThrowsAsync<AwsException>(() => Verify(request, SignedAt));

        Assert.Equal("SignatureDoesNotMatch", error.Code);
    }

    [Theory]
    [InlineData("604801", "X-Amz-Expires must be less than a week (in seconds) that is 604800")]
    [InlineData("soon", "X-Amz-Expires should be a number")]
    public async Task S3_presigned_url_with_an_invalid_expiry_is_AuthorizationQueryParametersError(string expires, string message)
    {
        var request = RawRequest.Build("GET", "/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20250301%2Fus-east-1%2Fs3%2Faws4_request"
            + $"&X-Amz-Date=20250301T100000Z&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host&X-Amz-Signature={new string('a', 64)}", "localhost:4566");

        var error = await Assert.ThrowsAsync<AwsException>(() => Verify(request, SignedAt, AuthErrorDialect.S3));

        Assert.Equal(("AuthorizationQueryParametersError", 400, message), (error.Code, error.HttpStatus, error.Message));
    }
}
