using Nephele.Core.Auth;
using Nephele.Core.Protocols;

namespace Nephele.Core.Tests.Auth;

public sealed class SigV4CredentialTests
{
    private static AwsRequest WithAuthorization(string authorization, params (string, string)[] more) =>
        RawRequest.Build("GET", "/", "localhost", [("Authorization", authorization), .. more]);

    [Fact]
    public void Authorization_header_yields_key_scope_signed_headers_and_signature()
    {
        var request = WithAuthorization(
            "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-central-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123",
            ("X-Amz-Date", "20240101T120000Z"), ("X-Amz-Security-Token", "token"));

        var credential = SigV4Credential.TryParse(request)!;

        Assert.Equal("AKID", credential.AccessKeyId);
        Assert.Equal("20240101", credential.Date);
        Assert.Equal("eu-central-1", credential.Region);
        Assert.Equal("sts", credential.Service);
        Assert.Equal("host;x-amz-date", credential.SignedHeaders);
        Assert.Equal("abc123", credential.Signature);
        Assert.Equal("20240101T120000Z", credential.Timestamp);
        Assert.Equal("token", credential.SessionToken);
        Assert.False(credential.IsPresigned);
        Assert.Equal(SignatureVersion.V4, credential.Version);
        Assert.Equal("20240101/eu-central-1/sts/aws4_request", credential.Scope);
    }

    [Fact]
    public void Authorization_header_parts_may_come_in_any_order_without_spaces()
    {
        var request = WithAuthorization("AWS4-HMAC-SHA256 Signature=ff,SignedHeaders=host,Credential=AKID/20240101/us-west-2/dynamodb/aws4_request");

        var credential = SigV4Credential.TryParse(request)!;

        Assert.Equal(("AKID", "dynamodb", "us-west-2", "ff"), (credential.AccessKeyId, credential.Service, credential.Region, credential.Signature));
    }

    [Fact]
    public void Presigned_query_yields_the_credential_expiry_and_session_token()
    {
        var request = RawRequest.Build("GET",
            "/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240101%2Fus-east-2%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20240101T000000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Security-Token=a%2Bb%3D&X-Amz-Signature=beef",
            "localhost");

        var credential = SigV4Credential.TryParse(request)!;

        Assert.True(credential.IsPresigned);
        Assert.Equal(("AKID", "s3", "us-east-2"), (credential.AccessKeyId, credential.Service, credential.Region));
        Assert.Equal(("300", "20240101T000000Z", "a+b=", "beef"), (credential.Expires, credential.Timestamp, credential.SessionToken, credential.Signature));
    }

    [Fact]
    public void SigV2_header_yields_only_the_access_key()
    {
        var credential = SigV4Credential.TryParse(WithAuthorization("AWS 123456789012:c2lnbmF0dXJl"))!;

        Assert.Equal(SignatureVersion.V2, credential.Version);
        Assert.Equal("123456789012", credential.AccessKeyId);
        Assert.Equal("", credential.Service);
        Assert.Equal("", credential.Region);
    }

    [Fact]
    public void SigV2_presigned_query_yields_only_the_access_key()
    {
        var request = RawRequest.Build("GET", "/bucket/key?AWSAccessKeyId=AKID&Expires=1700000000&Signature=abc%2B%3D", "localhost");

        var credential = SigV4Credential.TryParse(request)!;

        Assert.Equal((SignatureVersion.V2, "AKID", true, "1700000000"), (credential.Version, credential.AccessKeyId, credential.IsPresigned, credential.Expires));
    }

    [Fact]
    public void SigV4a_header_yields_the_service_and_the_region_set()
    {
        var request = WithAuthorization("AWS4-ECDSA-P256-SHA256 Credential=AKID/20240101/s3/aws4_request, SignedHeaders=host, Signature=3045",
            ("X-Amz-Region-Set", "eu-west-1,eu-west-2"));

        var credential = SigV4Credential.TryParse(request)!;

        Assert.Equal((SignatureVersion.V4A, "s3", "eu-west-1,eu-west-2"), (credential.Version, credential.Service, credential.RegionSet));
        Assert.Equal("eu-west-1", RequestAuthenticator.RegionOf(credential));
    }

    [Fact]
    public void Request_without_credentials_parses_to_null_either_way()
    {
        var request = RawRequest.Build("GET", "/?Action=ListQueues", "localhost");

        Assert.Null(SigV4Credential.TryParse(request));
        Assert.Null(SigV4Credential.Parse(request));
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws4_request, SignedHeaders=host")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts, SignedHeaders=host, Signature=ab")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/2024-01-01/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=ab")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws5_request, SignedHeaders=host, Signature=ab")]
    [InlineData("Bearer abc")]
    public void Malformed_authorization_is_ignored_for_routing_and_is_IncompleteSignature_when_verifying(string authorization)
    {
        var request = WithAuthorization(authorization);

        Assert.Null(SigV4Credential.TryParse(request));
        var error = Assert.Throws<AwsException>(() => SigV4Credential.Parse(request));
        Assert.Equal(("IncompleteSignature", 400), (error.Code, error.HttpStatus));
    }

    [Fact]
    public void Missing_signature_parameter_is_named_in_the_message()
    {
        var error = Assert.Throws<AwsException>(() => SigV4Credential.Parse(WithAuthorization(
            "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws4_request, SignedHeaders=host")));

        Assert.StartsWith("Authorization header requires 'Signature' parameter.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_S3_header_is_AuthorizationHeaderMalformed_and_malformed_presigned_query_is_AuthorizationQueryParametersError()
    {
        var header = Assert.Throws<AwsException>(() => SigV4Credential.Parse(
            WithAuthorization("AWS4-HMAC-SHA256 Credential=AKID, SignedHeaders=host, Signature=ab"), AuthErrorDialect.S3));
        var query = Assert.Throws<AwsException>(() => SigV4Credential.Parse(
            RawRequest.Build("GET", "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=ab", "localhost"), AuthErrorDialect.S3));

        Assert.Equal(("AuthorizationHeaderMalformed", 400), (header.Code, header.HttpStatus));
        Assert.Equal(("AuthorizationQueryParametersError", 400), (query.Code, query.HttpStatus));
    }

    [Fact]
    public void Json_service_malformed_header_is_IncompleteSignatureException()
    {
        var error = Assert.Throws<AwsException>(() => SigV4Credential.Parse(WithAuthorization("AWS4-HMAC-SHA256 Signature=ab"), AuthErrorDialect.Json));

        Assert.Equal(("IncompleteSignatureException", 400), (error.Code, error.HttpStatus));
    }
}
