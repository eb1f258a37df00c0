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

    [Fact]
    public async Task A_number_that_replied_STOP_gets_no_SMS_until_opted_in_again_once_in_30_days()
    {
        var phone = "+1555" + Random.Shared.Next(1_000_000, 9_999_999);
        using var http = Nephele.Http();
        Assert.Equal("false", await OptedOut(phone));
        (await http.PostAsync($"/_aws/sns/sms-opt-outs?phoneNumber={Uri.EscapeDataString(phone)}", null)).EnsureSuccessStatusCode();
        Assert.Equal("true", await OptedOut(phone));
        var listed = await Sns.Call("ListPhoneNumbersOptedOut");
        Assert.Contains(listed.Descendants(), e => e.Name.LocalName == "member" && e.Value == phone);

        await Sns.Call("Publish", ("PhoneNumber", phone), ("Message", "dropped"));
        Assert.Equal("{}", (await SmsTo(http, phone)).ToString());

        await Sns.Call("OptInPhoneNumber", ("phoneNumber", phone));
        Assert.Equal("false", await OptedOut(phone));
        await Sns.Call("Publish", ("PhoneNumber", phone), ("Message", "delivered"));
        Assert.Equal("delivered", (await SmsTo(http, phone)).GetProperty(phone)[0].GetProperty("Message").GetString());

        (await http.PostAsync($"/_aws/sns/sms-opt-outs?phoneNumber={Uri.EscapeDataString(phone)}", null)).EnsureSuccessStatusCode();
        Assert.Equal("InvalidParameter", (await Sns.Fail("OptInPhoneNumber", ("phoneNumber", phone))).Code);
        Assert.Equal("true", await OptedOut(phone));
        (await http.PostAsync("/_nephele/clock", System.Net.Http.Json.JsonContent.Create(new Dictionary<string, string> { ["advance"] = "P30D" }))).EnsureSuccessStatusCode();
        await Sns.Call("OptInPhoneNumber", ("phoneNumber", phone));
        Assert.Equal("false", await OptedOut(phone));

        Assert.Equal("InvalidParameter", (await Sns.Fail("CheckIfPhoneNumberIsOptedOut", ("phoneNumber", "not-a-number"))).Code);
    }

    private async Task<string> OptedOut(string phone) =>
        (await Sns.Call("CheckIfPhoneNumberIsOptedOut", ("phoneNumber", phone))).Descendants().First(e => e.Name.LocalName == "isOptedOut").Value;

    private static async Task<JsonElement> SmsTo(HttpClient http, string phone) =>
        JsonDocument.Parse(await http.GetStringAsync($"/_aws/sns/sms-messages?phoneNumber={Uri.EscapeDataString(phone)}")).RootElement.GetProperty("sms_messages");

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
