using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Amazon.SQS;
using Nephele.Services.Iam;

namespace Nephele.Services.Tests.Iam;

/// <summary>Virtual MFA devices: codes computed from the seed like an authenticator app, on Nephele's clock.</summary>
public abstract class MfaTestBase(NepheleFixture nephele)
{
    protected NepheleFixture Nephele { get; } = nephele;

    protected IamClient Iam(string key = "test") => new(Nephele.Http(), key);

    protected AmazonSecurityTokenServiceClient Sts(string key, string secret) =>
        Nephele.Client((c, cfg) => new AmazonSecurityTokenServiceClient(c, (AmazonSecurityTokenServiceConfig)cfg), new AmazonSecurityTokenServiceConfig(), key, secret);

    protected async Task<long> Step()
    {
        using var http = Nephele.Http();
        using var clock = JsonDocument.Parse(await http.GetStringAsync("/_nephele/clock"));
        return Totp.StepAt(clock.RootElement.GetProperty("now").GetDateTimeOffset());
    }

    protected async Task Advance(string duration)
    {
        using var http = Nephele.Http();
        (await http.PostAsync("/_nephele/clock", JsonContent.Create(new Dictionary<string, string> { ["advance"] = duration }))).EnsureSuccessStatusCode();
    }

    /// <summary>Creates a device; returns its serial number and secret.</summary>
    protected async Task<(string Serial, byte[] Secret)> Device(string name, string key = "test")
    {
        var device = (await Iam(key).Call("CreateVirtualMFADevice", ("VirtualMFADeviceName", name))).Element(IamClient.Ns + "VirtualMFADevice")!;
        var seed = Encoding.ASCII.GetString(Convert.FromBase64String(device.Text("Base32StringSeed")));
        return (device.Text("SerialNumber"), Totp.Base32Decode(seed));
    }

    /// <summary>Enables the device for the user with the codes of the previous and the current step; returns the current step.</summary>
    protected async Task<long> Enable(string user, string serial, byte[] secret, string key = "test")
    {
        var step = await Step();
        await Iam(key).Call("EnableMFADevice", ("UserName", user), ("SerialNumber", serial),
            ("AuthenticationCode1", Totp.Code(secret, step - 1)), ("AuthenticationCode2", Totp.Code(secret, step)));
        return step;
    }

    protected async Task<(string Id, string Secret)> UserWithKey(string name, string key = "test")
    {
        await Iam(key).Call("CreateUser", ("UserName", name));
        var created = (await Iam(key).Call("CreateAccessKey", ("UserName", name))).Element(IamClient.Ns + "AccessKey")!;
        return (created.Text("AccessKeyId"), created.Text("SecretAccessKey"));
    }
}

public sealed class IamMfaTests(NepheleFixture nephele) : MfaTestBase(nephele), IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task A_virtual_device_comes_with_a_base32_seed_and_a_png_qr_code()
    {
        var device = (await Iam().Call("CreateVirtualMFADevice", ("VirtualMFADeviceName", "phone"), ("Path", "/team/"))).Element(IamClient.Ns + "VirtualMFADevice")!;
        Assert.Equal("arn:aws:iam::000000000000:mfa/team/phone", device.Text("SerialNumber"));
        var seed = Encoding.ASCII.GetString(Convert.FromBase64String(device.Text("Base32StringSeed")));
        Assert.Equal(64, seed.Length);
        Assert.All(seed, c => Assert.Contains(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"));
        var png = Convert.FromBase64String(device.Text("QRCodePNG"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);

        var again = await Iam().Fail("CreateVirtualMFADevice", ("VirtualMFADeviceName", "phone"), ("Path", "/team/"));
        Assert.Equal((HttpStatusCode.Conflict, "EntityAlreadyExists"), (again.Status, again.Code));
    }

    [Fact]
    public async Task Enabling_needs_two_consecutive_codes_of_the_device()
    {
        await Iam().Call("CreateUser", ("UserName", "mfa-alice"));
        var (serial, secret) = await Device("alice-phone");
        var step = await Step();
        var wrong = await Iam().Fail("EnableMFADevice", ("UserName", "mfa-alice"), ("SerialNumber", serial),
            ("AuthenticationCode1", Totp.Code(secret, step)), ("AuthenticationCode2", Totp.Code(secret, step - 1)));
        Assert.Equal((HttpStatusCode.Forbidden, "InvalidAuthenticationCode"), (wrong.Status, wrong.Code));
        Assert.Empty((await Iam().Call("ListMFADevices", ("UserName", "mfa-alice"))).Members("MFADevices"));

        await Enable("mfa-alice", serial, secret);
        var listed = Assert.Single((await Iam().Call("ListMFADevices", ("UserName", "mfa-alice"))).Members("MFADevices"));
        Assert.Equal(serial, listed.Text("SerialNumber"));
        Assert.Equal("mfa-alice", (await Iam().Call("GetMFADevice", ("SerialNumber", serial), ("UserName", "mfa-alice"))).Text("UserName"));
        var assigned = Assert.Single((await Iam().Call("ListVirtualMFADevices", ("AssignmentStatus", "Assigned"))).Members("VirtualMFADevices"),
            d => d.Text("SerialNumber") == serial);
        Assert.Equal("mfa-alice", assigned.Text("User", "UserName"));
        Assert.DoesNotContain((await Iam().Call("ListVirtualMFADevices", ("AssignmentStatus", "Unassigned"))).Members("VirtualMFADevices"),
            d => d.Text("SerialNumber") == serial);

        var inUse = await Iam().Fail("DeleteVirtualMFADevice", ("SerialNumber", serial));
        Assert.Equal("DeleteConflict", inUse.Code);
        Assert.Equal("DeleteConflict", (await Iam().Fail("DeleteUser", ("UserName", "mfa-alice"))).Code);

        await Iam().Call("DeactivateMFADevice", ("UserName", "mfa-alice"), ("SerialNumber", serial));
        Assert.Empty((await Iam().Call("ListMFADevices", ("UserName", "mfa-alice"))).Members("MFADevices"));
        await Iam().Call("DeleteVirtualMFADevice", ("SerialNumber", serial));
        Assert.Equal("NoSuchEntity", (await Iam().Fail("DeleteVirtualMFADevice", ("SerialNumber", serial))).Code);
    }

    [Fact]
    public async Task Resync_learns_a_device_whose_clock_runs_ahead()
    {
        var (id, key) = await UserWithKey("mfa-drift");
        var (serial, secret) = await Device("drift-phone");
        await Enable("mfa-drift", serial, secret);
        // The device runs 20 steps (10 minutes) fast: its codes are too far ahead to sign in with.
        var ahead = await Step() + 20;
        var early = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => Sts(id, key).GetSessionTokenAsync(
            new GetSessionTokenRequest { SerialNumber = serial, TokenCode = Totp.Code(secret, ahead) }));
        Assert.Equal("AccessDenied", early.ErrorCode);

        await Iam().Call("ResyncMFADevice", ("UserName", "mfa-drift"), ("SerialNumber", serial),
            ("AuthenticationCode1", Totp.Code(secret, ahead)), ("AuthenticationCode2", Totp.Code(secret, ahead + 1)));
        var session = await Sts(id, key).GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = serial, TokenCode = Totp.Code(secret, ahead + 2) });
        Assert.StartsWith("ASIA", session.Credentials.AccessKeyId);
    }

    [Fact]
    public async Task A_sign_in_code_is_checked_and_good_only_once()
    {
        var (id, key) = await UserWithKey("mfa-bob");
        var (serial, secret) = await Device("bob-phone");
        var step = await Enable("mfa-bob", serial, secret);
        var sts = Sts(id, key);

        var wrong = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() =>
            sts.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = serial, TokenCode = Totp.Code(secret, step + 5) }));
        Assert.Equal("AccessDenied", wrong.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);

        // The codes used to enable the device are spent; the next one signs in, once.
        var next = Totp.Code(secret, step + 1);
        var session = await sts.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = serial, TokenCode = next });
        Assert.NotNull(session.Credentials.SessionToken);
        await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() =>
            sts.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = serial, TokenCode = next }));

        // Another user's device does not sign anyone else in.
        var (otherId, otherKey) = await UserWithKey("mfa-eve");
        await Advance("PT30S");
        await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => Sts(otherId, otherKey).GetSessionTokenAsync(
            new GetSessionTokenRequest { SerialNumber = serial, TokenCode = Totp.Code(secret, step + 2) }));
    }

    [Fact]
    public async Task Devices_carry_tags()
    {
        var (serial, _) = await Device("tagged-phone");
        await Iam().Call("TagMFADevice", ("SerialNumber", serial), ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "ops"));
        var tags = (await Iam().Call("ListMFADeviceTags", ("SerialNumber", serial))).Members("Tags");
        Assert.Equal("ops", Assert.Single(tags).Text("Value"));
        await Iam().Call("UntagMFADevice", ("SerialNumber", serial), ("TagKeys.member.1", "team"));
        Assert.Empty((await Iam().Call("ListMFADeviceTags", ("SerialNumber", serial))).Members("Tags"));
    }
}

public sealed class IamMfaEnforcementTests(EnforcingNepheleFixture nephele) : MfaTestBase(nephele), IClassFixture<EnforcingNepheleFixture>
{
    private const string Account = "345678901234";

    private AmazonSQSClient Sqs(string key, string secret, string? token = null) =>
        Nephele.Client((c, cfg) => new AmazonSQSClient(token is null ? c : new Amazon.Runtime.SessionAWSCredentials(key, secret, token), (AmazonSQSConfig)cfg),
            new AmazonSQSConfig(), key, secret);

    [Fact]
    public async Task A_policy_that_requires_mfa_allows_only_sessions_signed_in_with_mfa()
    {
        var (id, key) = await UserWithKey("mfa-admin", Account);
        await Iam(Account).Call("PutUserPolicy", ("UserName", "mfa-admin"), ("PolicyName", "mfa"), ("PolicyDocument", """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"sts:GetSessionToken","Resource":"*"},
              {"Effect":"Allow","Action":"sqs:CreateQueue","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"},"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}]}
            """));
        var (serial, secret) = await Device("admin-phone", Account);
        var step = await Enable("mfa-admin", serial, secret, Account);

        var plain = await Assert.ThrowsAsync<AmazonSQSException>(() => Sqs(id, key).CreateQueueAsync("needs-mfa"));
        Assert.Equal("AccessDeniedException", plain.ErrorCode);
        var withoutMfa = (await Sts(id, key).GetSessionTokenAsync(new GetSessionTokenRequest())).Credentials;
        await Assert.ThrowsAsync<AmazonSQSException>(() => Sqs(withoutMfa.AccessKeyId, withoutMfa.SecretAccessKey, withoutMfa.SessionToken).CreateQueueAsync("needs-mfa"));

        var withMfa = (await Sts(id, key).GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = serial, TokenCode = Totp.Code(secret, step + 1) })).Credentials;
        var mfaSqs = Sqs(withMfa.AccessKeyId, withMfa.SecretAccessKey, withMfa.SessionToken);
        await mfaSqs.CreateQueueAsync("needs-mfa");

        // An hour later the MFA sign-in is too old for the policy.
        await Advance("PT61M");
        await Assert.ThrowsAsync<AmazonSQSException>(() => mfaSqs.CreateQueueAsync("needs-mfa-2"));
    }

    [Fact]
    public async Task A_trust_policy_that_requires_mfa_lets_in_only_callers_with_a_code()
    {
        var (id, key) = await UserWithKey("mfa-operator", Account);
        await Iam(Account).Call("CreateRole", ("RoleName", "break-glass"), ("AssumeRolePolicyDocument", """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::ACCOUNT:user/mfa-operator"},"Action":"sts:AssumeRole",
              "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}
            """.Replace("ACCOUNT", Account, StringComparison.Ordinal)));
        var (serial, secret) = await Device("operator-phone", Account);
        var step = await Enable("mfa-operator", serial, secret, Account);
        var role = $"arn:aws:iam::{Account}:role/break-glass";

        var denied = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() =>
            Sts(id, key).AssumeRoleAsync(new AssumeRoleRequest { RoleArn = role, RoleSessionName = "no-mfa" }));
        Assert.Equal("AccessDenied", denied.ErrorCode);
        var assumed = await Sts(id, key).AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = role,
            RoleSessionName = "with-mfa",
            SerialNumber = serial,
            TokenCode = Totp.Code(secret, step + 1),
        });
        Assert.EndsWith("assumed-role/break-glass/with-mfa", assumed.AssumedRoleUser.Arn);
        // A wrong code is refused even though it claims MFA.
        await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => Sts(id, key).AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = role,
            RoleSessionName = "bad-code",
            SerialNumber = serial,
            TokenCode = "000000",
        }));
    }
}
