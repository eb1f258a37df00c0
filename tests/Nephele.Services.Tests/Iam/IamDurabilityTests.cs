using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Nephele.Core.Gateway;

namespace Nephele.Services.Tests.Iam;

public sealed class IamDurabilityTests : IDisposable
{
    private readonly RestartableNephele _nephele = new();

    public void Dispose() => _nephele.Dispose();

    private static IamClient Iam(NepheleServer server, string key = "test") => new(new HttpClient { BaseAddress = server.Endpoint }, key);

    [Fact]
    public async Task Users_policies_and_access_keys_survive_a_restart()
    {
        string keyId, secret, arn;
        await using (var first = await _nephele.StartAsync())
        {
            arn = (await Iam(first).Call("CreateUser", ("UserName", "durable"))).Text("User", "Arn");
            await Iam(first).Call("AttachUserPolicy", ("UserName", "durable"), ("PolicyArn", "arn:aws:iam::aws:policy/AmazonSQSFullAccess"));
            var key = (await Iam(first).Call("CreateAccessKey", ("UserName", "durable"))).Element(IamClient.Ns + "AccessKey")!;
            (keyId, secret) = (key.Text("AccessKeyId"), key.Text("SecretAccessKey"));
        }

        await using var second = await _nephele.StartAsync();
        var attached = (await Iam(second).Call("ListAttachedUserPolicies", ("UserName", "durable"))).Members("AttachedPolicies");
        Assert.Equal(["AmazonSQSFullAccess"], attached.Select(p => p.Text("PolicyName")));
        var sts = new AmazonSecurityTokenServiceClient(new BasicAWSCredentials(keyId, secret),
            new AmazonSecurityTokenServiceConfig { ServiceURL = second.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        Assert.Equal(arn, (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);
    }

    [Fact]
    public async Task Access_key_last_use_survives_a_restart()
    {
        string keyId;
        await using (var first = await _nephele.StartAsync())
        {
            await Iam(first).Call("CreateUser", ("UserName", "remembered"));
            keyId = (await Iam(first).Call("CreateAccessKey", ("UserName", "remembered"))).Text("AccessKey", "AccessKeyId");
            await Iam(first, keyId).Call("ListUsers");
        }

        await using var second = await _nephele.StartAsync();
        var used = await Iam(second).Call("GetAccessKeyLastUsed", ("AccessKeyId", keyId));
        Assert.Equal("iam", used.Text("AccessKeyLastUsed", "ServiceName"));
    }
}
