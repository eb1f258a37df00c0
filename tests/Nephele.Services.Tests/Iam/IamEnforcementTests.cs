using System.Net;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Nephele.Core.Gateway;

namespace Nephele.Services.Tests.Iam;

/// <summary>A Nephele that evaluates IAM policies (--enforce-iam).</summary>
public sealed class EnforcingNepheleFixture : NepheleFixture
{
    protected override void Configure(NepheleOptions options) => options.EnforceIam = true;
}

public sealed class IamEnforcementTests(EnforcingNepheleFixture nephele) : IClassFixture<EnforcingNepheleFixture>
{
    private const string Account = "210987654321";

    private readonly IamClient _root = new(nephele.Http(), Account);

    private AmazonSQSClient Sqs(string key, string secret) =>
        nephele.Client((c, cfg) => new AmazonSQSClient(c, (AmazonSQSConfig)cfg), new AmazonSQSConfig(), key, secret);

    /// <summary>A new IAM user with the given inline policy; returns its access key.</summary>
    private async Task<(string Id, string Secret)> UserWithPolicy(string name, string policy)
    {
        await _root.Call("CreateUser", ("UserName", name));
        await _root.Call("PutUserPolicy", ("UserName", name), ("PolicyName", "scenario"), ("PolicyDocument", policy));
        var key = (await _root.Call("CreateAccessKey", ("UserName", name))).Element(IamClient.Ns + "AccessKey")!;
        return (key.Text("AccessKeyId"), key.Text("SecretAccessKey"));
    }

    private static string Allow(string actions, string resource, string effect = "Allow") =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"{{effect}}","Action":[{{actions}}],"Resource":"{{resource}}"}]}""";

    [Fact]
    public async Task Account_root_credentials_are_never_evaluated()
    {
        var sqs = Sqs(Account, "secret");
        var url = (await sqs.CreateQueueAsync("root-queue")).QueueUrl;
        await sqs.SendMessageAsync(url, "hello");
    }

    [Fact]
    public async Task The_least_privilege_policy_of_a_worker_allows_exactly_its_scenario()
    {
        var root = Sqs(Account, "secret");
        var jobs = (await root.CreateQueueAsync("jobs-least")).QueueUrl;
        var other = (await root.CreateQueueAsync("payroll-least")).QueueUrl;
        var (id, secret) = await UserWithPolicy("worker-least", Allow(
            "\"sqs:SendMessage\",\"sqs:ReceiveMessage\",\"sqs:DeleteMessage\"", $"arn:aws:sqs:us-east-1:{Account}:jobs-*"));
        var worker = Sqs(id, secret);

        await worker.SendMessageAsync(jobs, "work");
        var message = Assert.Single((await worker.ReceiveMessageAsync(jobs)).Messages);
        await worker.DeleteMessageAsync(jobs, message.ReceiptHandle);

        var wrongQueue = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => worker.SendMessageAsync(other, "snoop"));
        Assert.Equal("AccessDeniedException", wrongQueue.ErrorCode);
        Assert.Contains($"User: arn:aws:iam::{Account}:user/worker-least is not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:us-east-1:{Account}:payroll-least", wrongQueue.Message);
        var wrongAction = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => worker.PurgeQueueAsync(jobs));
        Assert.Equal("AccessDeniedException", wrongAction.ErrorCode);
        // Denied requests change nothing.
        Assert.Empty((await root.ReceiveMessageAsync(other)).Messages ?? []);
    }

    [Fact]
    public async Task An_explicit_deny_overrides_an_allow()
    {
        var root = Sqs(Account, "secret");
        var url = (await root.CreateQueueAsync("guarded-deny")).QueueUrl;
        var (id, secret) = await UserWithPolicy("denied-user", $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"sqs:*","Resource":"*"},
              {"Effect":"Deny","Action":"sqs:DeleteQueue","Resource":"*"}]}
            """);
        var error = await Assert.ThrowsAnyAsync<AmazonSQSException>(() => Sqs(id, secret).DeleteQueueAsync(url));
        Assert.Contains("explicit deny", error.Message);
        await Sqs(id, secret).SendMessageAsync(url, "still allowed");
    }

    [Fact]
    public async Task A_queue_policy_grants_a_user_without_identity_policies()
    {
        var root = Sqs(Account, "secret");
        var url = (await root.CreateQueueAsync("shared-by-policy")).QueueUrl;
        await _root.Call("CreateUser", ("UserName", "guest"));
        var key = (await _root.Call("CreateAccessKey", ("UserName", "guest"))).Element(IamClient.Ns + "AccessKey")!;
        var guest = Sqs(key.Text("AccessKeyId"), key.Text("SecretAccessKey"));
        await Assert.ThrowsAnyAsync<AmazonSQSException>(() => guest.SendMessageAsync(url, "before"));

        var arn = $"arn:aws:sqs:us-east-1:{Account}:shared-by-policy";
        await root.SetQueueAttributesAsync(url, new()
        {
            ["Policy"] = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:user/guest"},"Action":"sqs:SendMessage","Resource":"{{arn}}"}]}""",
        });
        await guest.SendMessageAsync(url, "after");
    }

    [Fact]
    public async Task Query_services_answer_AccessDenied_403_and_GetCallerIdentity_needs_no_permission()
    {
        var (id, secret) = await UserWithPolicy("no-iam", Allow("\"sqs:ListQueues\"", "*"));
        var denied = await new IamClient(nephele.Http(), id).Fail("ListUsers");
        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
        Assert.Equal("AccessDenied", denied.Code);
        Assert.Contains("iam:ListUsers", denied.Message);

        var sts = nephele.Client((c, cfg) => new AmazonSecurityTokenServiceClient(c, (AmazonSecurityTokenServiceConfig)cfg),
            new AmazonSecurityTokenServiceConfig(), id, secret);
        var me = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.EndsWith(":user/no-iam", me.Arn);
    }

    [Fact]
    public async Task Group_policies_and_permissions_boundaries_apply_to_members()
    {
        var root = Sqs(Account, "secret");
        var url = (await root.CreateQueueAsync("team-queue")).QueueUrl;
        await _root.Call("CreateGroup", ("GroupName", "senders"));
        await _root.Call("PutGroupPolicy", ("GroupName", "senders"), ("PolicyName", "send"), ("PolicyDocument", Allow("\"sqs:*\"", "*")));
        await _root.Call("CreateUser", ("UserName", "member"));
        await _root.Call("AddUserToGroup", ("GroupName", "senders"), ("UserName", "member"));
        var key = (await _root.Call("CreateAccessKey", ("UserName", "member"))).Element(IamClient.Ns + "AccessKey")!;
        var member = Sqs(key.Text("AccessKeyId"), key.Text("SecretAccessKey"));
        await member.SendMessageAsync(url, "via group");

        var boundary = (await _root.Call("CreatePolicy", ("PolicyName", "receive-only"), ("PolicyDocument", Allow("\"sqs:ReceiveMessage\"", "*"))))
            .Element(IamClient.Ns + "Policy")!.Text("Arn");
        await _root.Call("PutUserPermissionsBoundary", ("UserName", "member"), ("PermissionsBoundary", boundary));
        await Assert.ThrowsAnyAsync<AmazonSQSException>(() => member.SendMessageAsync(url, "capped"));
        await member.ReceiveMessageAsync(url);
    }

    [Fact]
    public async Task A_trust_policy_decides_who_assumes_a_role_and_the_session_gets_the_roles_policies()
    {
        var root = Sqs(Account, "secret");
        var url = (await root.CreateQueueAsync("role-queue")).QueueUrl;
        var (trustedId, trustedSecret) = await UserWithPolicy("trusted", Allow("\"sqs:ListQueues\"", "*"));
        var (strangerId, strangerSecret) = await UserWithPolicy("stranger", Allow("\"sqs:ListQueues\"", "*"));
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:user/trusted"},"Action":"sts:AssumeRole"}]}""";
        var role = (await _root.Call("CreateRole", ("RoleName", "sender"), ("AssumeRolePolicyDocument", trust))).Element(IamClient.Ns + "Role")!;
        await _root.Call("PutRolePolicy", ("RoleName", "sender"), ("PolicyName", "send"), ("PolicyDocument", Allow("\"sqs:SendMessage\"", "*")));

        AmazonSecurityTokenServiceClient Sts(string id, string secret) => nephele.Client((c, cfg) =>
            new AmazonSecurityTokenServiceClient(c, (AmazonSecurityTokenServiceConfig)cfg), new AmazonSecurityTokenServiceConfig(), id, secret);
        var request = new AssumeRoleRequest { RoleArn = role.Text("Arn"), RoleSessionName = "job" };
        var denied = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => Sts(strangerId, strangerSecret).AssumeRoleAsync(request));
        Assert.Equal("AccessDenied", denied.ErrorCode);

        var assumed = await Sts(trustedId, trustedSecret).AssumeRoleAsync(request);
        Assert.Equal($"{role.Text("RoleId")}:job", assumed.AssumedRoleUser.AssumedRoleId);
        var session = nephele.Client((c, cfg) => new AmazonSQSClient(c, (AmazonSQSConfig)cfg), new AmazonSQSConfig(), assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey);
        // The SDK sends the session token; Nephele attributes the request to the session by its access key.
        await session.SendMessageAsync(url, "as the role");
        await Assert.ThrowsAnyAsync<AmazonSQSException>(() => session.PurgeQueueAsync(url));
    }

    [Fact]
    public async Task A_key_policy_naming_the_account_defers_to_IAM_and_one_naming_the_user_grants()
    {
        var root = nephele.Client((c, cfg) => new Amazon.KeyManagementService.AmazonKeyManagementServiceClient(c, (Amazon.KeyManagementService.AmazonKeyManagementServiceConfig)cfg),
            new Amazon.KeyManagementService.AmazonKeyManagementServiceConfig(), Account, "secret");
        var key = (await root.CreateKeyAsync(new Amazon.KeyManagementService.Model.CreateKeyRequest())).KeyMetadata;
        var (id, secret) = await UserWithPolicy("crypto-user", Allow("\"kms:Encrypt\"", key.Arn));
        var user = nephele.Client((c, cfg) => new Amazon.KeyManagementService.AmazonKeyManagementServiceClient(c, (Amazon.KeyManagementService.AmazonKeyManagementServiceConfig)cfg),
            new Amazon.KeyManagementService.AmazonKeyManagementServiceConfig(), id, secret);
        var sealedText = await user.EncryptAsync(new Amazon.KeyManagementService.Model.EncryptRequest { KeyId = key.KeyId, Plaintext = new MemoryStream([1, 2, 3]) });
        var denied = await Assert.ThrowsAnyAsync<Amazon.KeyManagementService.AmazonKeyManagementServiceException>(() =>
            user.DecryptAsync(new Amazon.KeyManagementService.Model.DecryptRequest { CiphertextBlob = sealedText.CiphertextBlob }));
        Assert.Equal("AccessDeniedException", denied.ErrorCode);
        Assert.Contains(key.Arn, denied.Message);

        await root.PutKeyPolicyAsync(new Amazon.KeyManagementService.Model.PutKeyPolicyRequest
        {
            KeyId = key.KeyId,
            PolicyName = "default",
            Policy = $$"""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"kms:*","Resource":"*"},
                  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:user/crypto-user"},"Action":"kms:Decrypt","Resource":"*"}]}
                """,
        });
        sealedText.CiphertextBlob.Position = 0;
        await user.DecryptAsync(new Amazon.KeyManagementService.Model.DecryptRequest { CiphertextBlob = sealedText.CiphertextBlob });
    }
}
