using System.Text.Json;
using System.Text.RegularExpressions;

namespace Nephele.Services.Tests.Sns;

public sealed partial class SnsSmsTests(NepheleFixture nephele) : SnsTestBase(nephele)
{
    [Fact]
    public async Task SMS_attributes_are_validated_stored_and_filtered_on_read()
    {
        await Sns.Call("SetSMSAttributes", ("attributes.entry.1.key", "DefaultSMSType"), ("attributes.entry.1.value", "Transactional"),
            ("attributes.entry.2.key", "MonthlySpendLimit"), ("attributes.entry.2.value", "5"));
        var bad = await Sns.Fail("SetSMSAttributes", ("attributes.entry.1.key", "DefaultSMSType"), ("attributes.entry.1.value", "Loud"));
        Assert.Equal("InvalidParameter", bad.Code);

        var all = await Sns.Call("GetSMSAttributes");
        var entries = all.Descendants().Where(e => e.Name.LocalName == "entry")
            .ToDictionary(e => e.Elements().First(x => x.Name.LocalName == "key").Value, e => e.Elements().First(x => x.Name.LocalName == "value").Value);
        Assert.Equal("Transactional", entries["DefaultSMSType"]);
        Assert.Equal("5", entries["MonthlySpendLimit"]);
        var one = await Sns.Call("GetSMSAttributes", ("attributes.member.1", "MonthlySpendLimit"));
        Assert.Single(one.Descendants(), e => e.Name.LocalName == "entry");
    }

    [Fact]
    public async Task A_sandbox_number_is_verified_with_the_password_sent_to_it_by_SMS()
    {
        var phone = "+1555" + Random.Shared.Next(1_000_000, 9_999_999);
        await Sns.Call("CreateSMSSandboxPhoneNumber", ("PhoneNumber", phone));
        Assert.Equal("Pending", await SandboxStatus(phone));

        Assert.Equal("VerificationException", (await Sns.Fail("VerifySMSSandboxPhoneNumber", ("PhoneNumber", phone), ("OneTimePassword", "000000x"))).Code);
        using var http = Nephele.Http();
        var recorded = JsonDocument.Parse(await http.GetStringAsync($"/_aws/sns/sms-messages?phoneNumber={Uri.EscapeDataString(phone)}")).RootElement;
        var text = recorded.GetProperty("sms_messages").GetProperty(phone)[0].GetProperty("Message").GetString()!;
        var password = Password().Match(text).Value;
        await Sns.Call("VerifySMSSandboxPhoneNumber", ("PhoneNumber", phone), ("OneTimePassword", password));
        Assert.Equal("Verified", await SandboxStatus(phone));

        await Sns.Call("DeleteSMSSandboxPhoneNumber", ("PhoneNumber", phone));
        Assert.Equal("ResourceNotFound", (await Sns.Fail("DeleteSMSSandboxPhoneNumber", ("PhoneNumber", phone))).Code);
        Assert.Equal("false", (await Sns.Call("GetSMSSandboxAccountStatus")).Descendants().First(e => e.Name.LocalName == "IsInSandbox").Value);
    }

    private async Task<string?> SandboxStatus(string phone)
    {
        var listed = await Sns.Call("ListSMSSandboxPhoneNumbers");
        return listed.Descendants().Where(e => e.Name.LocalName == "member")
            .FirstOrDefault(m => m.Elements().Any(x => x.Name.LocalName == "PhoneNumber" && x.Value == phone))?
            .Elements().First(x => x.Name.LocalName == "Status").Value;
    }

    [GeneratedRegex("[0-9]{6}")]
    private static partial Regex Password();
}
