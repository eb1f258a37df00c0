using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Nephele.Core.Gateway;

namespace Nephele.Services.Tests.Gateway;

/// <summary>With --enforce-signatures, real SDK signatures verify and wrong ones get AWS's errors.</summary>
public sealed class SignatureEnforcementTests(SignatureEnforcingFixture nephele) : IClassFixture<SignatureEnforcingFixture>
{
    private readonly NepheleServer _server = nephele.Server;

    private AmazonSecurityTokenServiceClient Sts(AWSCredentials credentials) =>
        new(credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = _server.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    [Fact]
    public async Task The_test_key_with_its_secret_verifies()
    {
        var identity = await Sts(new BasicAWSCredentials("test", "test")).GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal("000000000000", identity.Account);
    }

    [Fact]
    public async Task A_wrong_secret_is_SignatureDoesNotMatch()
    {
        var e = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() =>
            Sts(new BasicAWSCredentials("test", "not-the-secret")).GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("SignatureDoesNotMatch", e.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, e.StatusCode);
    }

    [Fact]
    public async Task An_unknown_access_key_is_InvalidClientTokenId()
    {
        var e = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() =>
            Sts(new BasicAWSCredentials("AKIANOTISSUEDBYNEPH", "whatever")).GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("InvalidClientTokenId", e.ErrorCode);
    }

    [Fact]
    public async Task Issued_temporary_credentials_verify_with_their_own_secret()
    {
        var c = (await Sts(new BasicAWSCredentials("test", "test")).GetSessionTokenAsync(new GetSessionTokenRequest())).Credentials;
        var identity = await Sts(new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken)).GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal("000000000000", identity.Account);
    }

    [Fact]
    public async Task An_unsigned_request_is_refused()
    {
        using var http = new HttpClient { BaseAddress = _server.Endpoint };
        using var response = await http.PostAsync("/", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Action"] = "GetCallerIdentity",
            ["Version"] = "2011-06-15",
        }));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("<Code>MissingAuthenticationToken</Code>", await response.Content.ReadAsStringAsync());
    }
}
