using System.Globalization;
using System.Security.Cryptography;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sns;

/// <summary>
/// Account-level SMS settings and the SMS sandbox. The account is out of the sandbox (as a production account is), so
/// publishing to any number works; sandbox destination numbers can still be managed: adding one "sends" a one-time
/// password by SMS, recorded like every SMS (GET /_aws/sns/sms-messages), and verifying it with that password marks the
/// number Verified.
/// </summary>
public sealed partial class SnsProvider
{
    private static readonly string[] SmsAttributeNames =
        ["MonthlySpendLimit", "DeliveryStatusIAMRole", "DeliveryStatusSuccessSamplingRate", "DefaultSenderID", "DefaultSMSType", "UsageReportS3Bucket"];

    private const int SandboxPageSize = 100;

    private void RegisterSms(OperationRegistry operations) => operations
        .On("GetSMSAttributes", GetSmsAttributes)
        .On("SetSMSAttributes", SetSmsAttributes)
        .On("GetSMSSandboxAccountStatus", (_, _) => new() { ["IsInSandbox"] = false })
        .On("CreateSMSSandboxPhoneNumber", CreateSandboxNumber)
        .On("VerifySMSSandboxPhoneNumber", VerifySandboxNumber)
        .On("DeleteSMSSandboxPhoneNumber", DeleteSandboxNumber)
        .On("ListSMSSandboxPhoneNumbers", ListSandboxNumbers)
        // No origination numbers are provisioned in Nephele: the list is truthfully empty.
        .On("ListOriginationNumbers", (_, input) => new() { ["PhoneNumbers"] = new List<object?>(), ["NextToken"] = null });

    private Dictionary<string, object?> GetSmsAttributes(RequestContext ctx, Dictionary<string, object?> input)
    {
        var stored = _settings.Get(ctx.Scope, "sms-attributes", SnsJsonContext.Default.DictionaryStringString) ?? [];
        var wanted = input.GetStrings("attributes");
        var attributes = stored.Where(a => wanted.Count == 0 || wanted.Contains(a.Key)).ToDictionary(a => a.Key, a => (object?)a.Value);
        return new() { ["attributes"] = attributes };
    }

    private Dictionary<string, object?> SetSmsAttributes(RequestContext ctx, Dictionary<string, object?> input)
    {
        var given = input.GetStringMap("attributes");
        foreach (var (name, value) in given)
        {
            if (!SmsAttributeNames.Contains(name))
                throw SnsErrors.InvalidParameter($"Invalid parameter: {name}");
            var valid = name switch
            {
                "DefaultSMSType" => value is "Promotional" or "Transactional",
                "MonthlySpendLimit" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _),
                "DeliveryStatusSuccessSamplingRate" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var rate) && rate <= 100,
                "DefaultSenderID" => value.Length is >= 1 and <= 11 && value.All(char.IsAsciiLetterOrDigit) && value.Any(char.IsAsciiLetter),
                _ => true,
            };
            if (!valid) throw SnsErrors.InvalidParameter($"Invalid parameter: {name} Reason: {value} is not a valid value");
        }
        _state.Transaction(() =>
        {
            var stored = _settings.Get(ctx.Scope, "sms-attributes", SnsJsonContext.Default.DictionaryStringString) ?? [];
            foreach (var (name, value) in given) stored[name] = value;
            _settings.Put(ctx.Scope, "sms-attributes", stored, SnsJsonContext.Default.DictionaryStringString);
            return 0;
        });
        return [];
    }

    private Dictionary<string, object?> CreateSandboxNumber(RequestContext ctx, Dictionary<string, object?> input)
    {
        var phone = input.RequireString("PhoneNumber");
        if (!IsPhoneNumber(phone) || !phone.StartsWith('+'))
            throw SnsErrors.InvalidParameter($"Invalid parameter: PhoneNumber Reason: {phone} is not a valid E.164 phone number");
        var password = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        _state.Transaction(() =>
        {
            if (_sandbox.Get(ctx.Scope, phone, SnsJsonContext.Default.SandboxNumber) is { Status: "Verified" })
                throw new AwsException("UserError", $"Phone number {phone} is already verified.");
            _sandbox.Put(ctx.Scope, phone, new SandboxNumber(phone, "Pending", password), SnsJsonContext.Default.SandboxNumber);
            RecordMessage(ctx.Scope, new RecordedMessage
            {
                MessageId = Guid.NewGuid().ToString(),
                Protocol = "sms",
                Endpoint = phone,
                Message = $"Your Amazon SNS verification code is: {password}",
                Timestamp = Iso(ctx.Now),
            });
            return 0;
        });
        return [];
    }

    private Dictionary<string, object?> VerifySandboxNumber(RequestContext ctx, Dictionary<string, object?> input)
    {
        var phone = input.RequireString("PhoneNumber");
        var password = input.RequireString("OneTimePassword");
        _state.Transaction(() =>
        {
            var number = _sandbox.Get(ctx.Scope, phone, SnsJsonContext.Default.SandboxNumber)
                ?? throw new AwsException("ResourceNotFound", $"Phone number {phone} does not exist in the SMS sandbox.", 404);
            if (number.Status == "Verified") return 0;
            if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(number.Password ?? ""), System.Text.Encoding.ASCII.GetBytes(password)))
                throw new AwsException("VerificationException", "Invalid one-time password.", fields: new() { ["Status"] = "Pending" });
            _sandbox.Put(ctx.Scope, phone, number with { Status = "Verified", Password = null }, SnsJsonContext.Default.SandboxNumber);
            return 0;
        });
        return [];
    }

    private Dictionary<string, object?> DeleteSandboxNumber(RequestContext ctx, Dictionary<string, object?> input)
    {
        var phone = input.RequireString("PhoneNumber");
        if (!_sandbox.Delete(ctx.Scope, phone))
            throw new AwsException("ResourceNotFound", $"Phone number {phone} does not exist in the SMS sandbox.", 404);
        return [];
    }

    private Dictionary<string, object?> ListSandboxNumbers(RequestContext ctx, Dictionary<string, object?> input)
    {
        var limit = input.GetInt("MaxResults") ?? SandboxPageSize;
        if (limit is < 1 or > SandboxPageSize) throw SnsErrors.InvalidParameter("Invalid parameter: MaxResults");
        var after = PageToken.Resume(input.GetString("NextToken"), () => SnsErrors.InvalidParameter("Invalid parameter: NextToken"));
        var rows = _sandbox.List(ctx.Scope, startAfter: after, limit: limit + 1);
        var page = rows.Take(limit).Select(r => System.Text.Json.JsonSerializer.Deserialize(r.Value, SnsJsonContext.Default.SandboxNumber)!).ToList();
        return new()
        {
            ["PhoneNumbers"] = page.Select(n => (object?)new Dictionary<string, object?> { ["PhoneNumber"] = n.PhoneNumber, ["Status"] = n.Status }).ToList(),
            ["NextToken"] = rows.Count > limit ? PageToken.After(rows[limit - 1].Key) : null,
        };
    }
}

/// <summary>A destination number of the SMS sandbox: Pending with its one-time password until verified.</summary>
internal sealed record SandboxNumber(string PhoneNumber, string Status, string? Password);
