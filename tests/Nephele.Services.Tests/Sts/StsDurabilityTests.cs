using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Nephele.Core.Gateway;

namespace Nephele.Services.Tests.Sts;

public sealed class StsDurabilityTests : IDisposable
{
    private readonly RestartableNephele _nephele = new();

    public void Dispose() => _nephele.Dispose();

    private Task<NepheleServer> Start() => _nephele.StartAsync();

    private static AmazonSecurityTokenServiceClient Client(NepheleServer server, AWSCredentials credentials) =>
        new(credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = server.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    [Fact]
    public async Task Assumed_role_credentials_still_identify_the_session_after_a_restart()
    {
        Credentials credentials;
        string arn;
        await using (var first = await Start())
        {
            var assumed = await Client(first, new BasicAWSCredentials("test", "test")).AssumeRoleAsync(new AssumeRoleRequest
            {
                RoleArn = "arn:aws:iam::123456789012:role/durable",
                RoleSessionName = "before-restart",
            });
            credentials = assumed.Credentials;
            arn = assumed.AssumedRoleUser.Arn;
        }

        await using var second = await Start();
        var session = new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken);
        var identity = await Client(second, session).GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal(arn, identity.Arn);
        Assert.Equal("123456789012", identity.Account);
    }
}
