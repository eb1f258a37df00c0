using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Amazon.SQS;

namespace Nephele.Services.Tests.Iam;

/// <summary>Session policies passed to AssumeRole and GetFederationToken cap what the session may do.</summary>
public sealed class IamSessionPolicyTests(EnforcingNepheleFixture nephele) : IClassFixture<EnforcingNepheleFixture>
{
    private const string Account = "210987654322";

    private readonly IamClient _root = new(nephele.Http(), Account);

    private AmazonSQSClient Sqs(string key) => nephele.Client((c, cfg) => new AmazonSQSClient(c, (AmazonSQSConfig)cfg), new AmazonSQSConfig(), key);

    private AmazonSecurityTokenServiceClient Sts(string key) =>
        nephele.Client((c, cfg) => new AmazonSecurityTokenServiceClient(c, (AmazonSecurityTokenServiceConfig)cfg), new AmazonSecurityTokenServiceConfig(), key);

    private const string AllSqs = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}""";
    private const string SendOnly = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}""";

    private async Task<string> UserKey(string name, string policy)
    {
        await _root.Call("CreateUser", ("UserName", name));
        await _root.Call("PutUserPolicy", ("UserName", name), ("PolicyName", "p"), ("PolicyDocument", policy));
        return (await _root.Call("CreateAccessKey", ("UserName", name))).Element(IamClient.Ns + "AccessKey")!.Text("AccessKeyId");
    }

    [Fact]
    public async Task An_AssumeRole_session_policy_narrows_the_roles_permissions()
    {
        var url = (await Sqs(Account).CreateQueueAsync("session-queue")).QueueUrl;
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"sts:AssumeRole"}]}""";
        var role = (await _root.Call("CreateRole", ("RoleName", "queue-admin"), ("AssumeRolePolicyDocument", trust))).Element(IamClient.Ns + "Role")!;
        await _root.Call("PutRolePolicy", ("RoleName", "queue-admin"), ("PolicyName", "all"), ("PolicyDocument", AllSqs));
        var assumer = await UserKey("assumer", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""");

        var session = await Sts(assumer).AssumeRoleAsync(new AssumeRoleRequest { RoleArn = role.Text("Arn"), RoleSessionName = "narrow", Policy = SendOnly });
        var sqs = Sqs(session.Credentials.AccessKeyId);
        await sqs.SendMessageAsync(url, "allowed by both");
        var purge = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => sqs.PurgeQueueAsync(url));
        Assert.Contains("because no session policy allows the sqs:PurgeQueue action", purge.Message);

        // Without a session policy the session has the role's permissions.
        var full = await Sts(assumer).AssumeRoleAsync(new AssumeRoleRequest { RoleArn = role.Text("Arn"), RoleSessionName = "full" });
        await Sqs(full.Credentials.AccessKeyId).PurgeQueueAsync(url);
    }

    [Fact]
    public async Task A_managed_policy_passed_as_PolicyArns_is_a_session_policy_too()
    {
        var url = (await Sqs(Account).CreateQueueAsync("session-arns")).QueueUrl;
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"sts:AssumeRole"}]}""";
        var role = (await _root.Call("CreateRole", ("RoleName", "arns-role"), ("AssumeRolePolicyDocument", trust))).Element(IamClient.Ns + "Role")!;
        await _root.Call("PutRolePolicy", ("RoleName", "arns-role"), ("PolicyName", "all"), ("PolicyDocument", AllSqs));
        var managed = (await _root.Call("CreatePolicy", ("PolicyName", "send-only"), ("PolicyDocument", SendOnly))).Element(IamClient.Ns + "Policy")!.Text("Arn");
        var assumer = await UserKey("arns-assumer", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""");

        var session = await Sts(assumer).AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = role.Text("Arn"),
            RoleSessionName = "arns",
            PolicyArns = [new PolicyDescriptorType { Arn = managed }],
        });
        var sqs = Sqs(session.Credentials.AccessKeyId);
        await sqs.SendMessageAsync(url, "ok");
        await Assert.ThrowsAnyAsync<AmazonSQSException>(() => sqs.DeleteQueueAsync(url));
    }

    [Fact]
    public async Task A_federated_user_has_what_both_its_user_and_its_session_policy_allow()
    {
        var url = (await Sqs(Account).CreateQueueAsync("federated-queue")).QueueUrl;
        var broker = await UserKey("broker", AllSqs.Replace("\"sqs:*\"", "[\"sqs:*\",\"sts:GetFederationToken\"]", StringComparison.Ordinal));
        var token = await Sts(broker).GetFederationTokenAsync(new GetFederationTokenRequest { Name = "visitor", Policy = SendOnly });
        var visitor = Sqs(token.Credentials.AccessKeyId);
        await visitor.SendMessageAsync(url, "hello");
        await Assert.ThrowsAnyAsync<AmazonSQSException>(() => visitor.PurgeQueueAsync(url));

        // Without a session policy a federated user may do nothing.
        var bare = await Sts(broker).GetFederationTokenAsync(new GetFederationTokenRequest { Name = "bare" });
        await Assert.ThrowsAnyAsync<AmazonSQSException>(() => Sqs(bare.Credentials.AccessKeyId).SendMessageAsync(url, "no"));
    }

    [Fact]
    public async Task A_malformed_session_policy_is_rejected()
    {
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"sts:AssumeRole"}]}""";
        var role = (await _root.Call("CreateRole", ("RoleName", "malformed-role"), ("AssumeRolePolicyDocument", trust))).Element(IamClient.Ns + "Role")!;
        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            Sts(Account).AssumeRoleAsync(new AssumeRoleRequest { RoleArn = role.Text("Arn"), RoleSessionName = "bad", Policy = "{not json" }));
        Assert.Equal("MalformedPolicyDocument", error.ErrorCode);
    }
}
