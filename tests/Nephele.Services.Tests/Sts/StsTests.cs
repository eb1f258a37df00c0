using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace Nephele.Services.Tests.Sts;

public sealed class StsTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private AmazonSecurityTokenServiceClient Sts(string accessKey = "test", string secret = "test", string? token = null) =>
        nephele.Client((creds, cfg) => token is null
                ? new AmazonSecurityTokenServiceClient(creds, (AmazonSecurityTokenServiceConfig)cfg)
                : new AmazonSecurityTokenServiceClient(new SessionAWSCredentials(accessKey, secret, token), (AmazonSecurityTokenServiceConfig)cfg),
            new AmazonSecurityTokenServiceConfig(), accessKey, secret);

    [Fact]
    public async Task Caller_with_a_test_key_is_the_root_of_the_default_account()
    {
        var identity = await Sts().GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal("000000000000", identity.Account);
        Assert.Equal("arn:aws:iam::000000000000:root", identity.Arn);
    }

    [Fact]
    public async Task A_twelve_digit_access_key_names_the_account()
    {
        var identity = await Sts("123456789012").GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal("123456789012", identity.Account);
        Assert.Equal("arn:aws:iam::123456789012:root", identity.Arn);
    }

    [Fact]
    public async Task Requests_signed_with_assumed_role_credentials_are_attributed_to_the_role_session()
    {
        var assumed = await Sts().AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = "arn:aws:iam::111122223333:role/deployer",
            RoleSessionName = "ci-run",
            DurationSeconds = 900,
        });
        Assert.StartsWith("ASIA", assumed.Credentials.AccessKeyId);
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/deployer/ci-run", assumed.AssumedRoleUser.Arn);
        Assert.True(assumed.Credentials.Expiration > DateTime.UtcNow.AddMinutes(10));

        var c = assumed.Credentials;
        var identity = await Sts(c.AccessKeyId, c.SecretAccessKey, c.SessionToken).GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal("111122223333", identity.Account);
        Assert.Equal(assumed.AssumedRoleUser.Arn, identity.Arn);
        Assert.Equal(assumed.AssumedRoleUser.AssumedRoleId, identity.UserId);
    }

    [Fact]
    public async Task Session_token_credentials_keep_the_callers_identity()
    {
        var session = await Sts("444455556666").GetSessionTokenAsync(new GetSessionTokenRequest { DurationSeconds = 3600 });
        var c = session.Credentials;
        var identity = await Sts(c.AccessKeyId, c.SecretAccessKey, c.SessionToken).GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal("444455556666", identity.Account);
        Assert.Equal("arn:aws:iam::444455556666:root", identity.Arn);
    }

    // These tests send what the SDK's analyzers flag at compile time, to see the server's own validation.
#pragma warning disable SecurityTokenService1000, SecurityTokenService1003
    [Fact]
    public async Task A_too_short_session_name_is_a_validation_error()
    {
        var e = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => Sts().AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = "arn:aws:iam::111122223333:role/deployer",
            RoleSessionName = "x",
        }));
        Assert.Equal("ValidationError", e.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Contains("roleSessionName", e.Message);
    }

    [Fact]
    public async Task A_duration_below_fifteen_minutes_is_rejected()
    {
        var e = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => Sts().GetSessionTokenAsync(new GetSessionTokenRequest { DurationSeconds = 60 }));
        Assert.Equal("ValidationError", e.ErrorCode);
    }
#pragma warning restore SecurityTokenService1000, SecurityTokenService1003
}
