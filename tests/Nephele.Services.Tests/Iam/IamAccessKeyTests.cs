using System.Net;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace Nephele.Services.Tests.Iam;

public sealed class IamAccessKeyTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private IamClient Iam(string key = "test") => new(nephele.Http(), key);

    private AmazonSecurityTokenServiceClient Sts(string key, string secret) =>
        nephele.Client((c, cfg) => new AmazonSecurityTokenServiceClient(c, (AmazonSecurityTokenServiceConfig)cfg), new AmazonSecurityTokenServiceConfig(), key, secret);

    private async Task<(string Id, string Secret, string UserId, string Arn)> UserWithKey(string name, string account = "test")
    {
        var user = (await Iam(account).Call("CreateUser", ("UserName", name), ("Path", "/ci/"))).Element(IamClient.Ns + "User")!;
        var key = (await Iam(account).Call("CreateAccessKey", ("UserName", name))).Element(IamClient.Ns + "AccessKey")!;
        return (key.Text("AccessKeyId"), key.Text("SecretAccessKey"), user.Text("UserId"), user.Text("Arn"));
    }

    [Fact]
    public async Task Requests_signed_with_a_users_access_key_are_attributed_to_that_user()
    {
        var (id, secret, userId, arn) = await UserWithKey("deployer", account: "123456789012");
        Assert.StartsWith("AKIA", id);
        Assert.Equal(40, secret.Length);

        var identity = await Sts(id, secret).GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal("123456789012", identity.Account);
        Assert.Equal(arn, identity.Arn);
        Assert.Equal("arn:aws:iam::123456789012:user/ci/deployer", identity.Arn);
        Assert.Equal(userId, identity.UserId);
    }

    [Fact]
    public async Task GetUser_without_a_name_describes_the_calling_user()
    {
        var (id, _, userId, _) = await UserWithKey("self-aware");
        var me = await Iam(id).Call("GetUser");
        Assert.Equal("self-aware", me.Text("User", "UserName"));
        Assert.Equal(userId, me.Text("User", "UserId"));

        var root = await Iam().Call("GetUser");
        Assert.Equal("arn:aws:iam::000000000000:root", root.Text("User", "Arn"));
    }

    [Fact]
    public async Task A_user_calling_CreateAccessKey_without_a_name_gets_a_key_of_its_own()
    {
        var (id, _, _, _) = await UserWithKey("rotator");
        var second = (await Iam(id).Call("CreateAccessKey")).Text("AccessKey", "UserName");
        Assert.Equal("rotator", second);
        Assert.Equal(2, (await Iam().Call("ListAccessKeys", ("UserName", "rotator"))).Members("AccessKeyMetadata").Count);
    }

    [Fact]
    public async Task A_user_may_have_at_most_two_access_keys()
    {
        await UserWithKey("two-keys");
        await Iam().Call("CreateAccessKey", ("UserName", "two-keys"));
        var (status, code, message) = await Iam().Fail("CreateAccessKey", ("UserName", "two-keys"));
        Assert.Equal((HttpStatusCode.Conflict, "LimitExceeded"), (status, code));
        Assert.Equal("Cannot exceed quota for AccessKeysPerUser: 2", message);
    }

    [Fact]
    public async Task An_inactive_or_deleted_key_no_longer_identifies_its_user()
    {
        var (id, secret, _, arn) = await UserWithKey("revoked");
        await Iam().Call("UpdateAccessKey", ("UserName", "revoked"), ("AccessKeyId", id), ("Status", "Inactive"));
        Assert.Equal("Inactive", (await Iam().Call("ListAccessKeys", ("UserName", "revoked"))).Members("AccessKeyMetadata")[0].Text("Status"));
        Assert.NotEqual(arn, (await Sts(id, secret).GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);

        await Iam().Call("UpdateAccessKey", ("UserName", "revoked"), ("AccessKeyId", id), ("Status", "Active"));
        Assert.Equal(arn, (await Sts(id, secret).GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);

        await Iam().Call("DeleteAccessKey", ("UserName", "revoked"), ("AccessKeyId", id));
        Assert.NotEqual(arn, (await Sts(id, secret).GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);
        Assert.Equal("The Access Key with id " + id + " cannot be found",
            (await Iam().Fail("DeleteAccessKey", ("UserName", "revoked"), ("AccessKeyId", id))).Message);
    }

    [Fact]
    public async Task A_never_used_key_reports_no_last_use()
    {
        var (id, _, _, _) = await UserWithKey("idle");
        var used = await Iam().Call("GetAccessKeyLastUsed", ("AccessKeyId", id));
        Assert.Equal("idle", used.Text("UserName"));
        Assert.Equal("N/A", used.Text("AccessKeyLastUsed", "ServiceName"));
    }

    [Fact]
    public async Task Users_of_one_account_are_invisible_to_another()
    {
        await UserWithKey("private", account: "111111111111");
        Assert.Equal("NoSuchEntity", (await Iam("222222222222").Fail("GetUser", ("UserName", "private"))).Code);
    }
}
