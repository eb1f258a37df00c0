using Microsoft.Extensions.Logging;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sns;

/// <summary>
/// The account's SMS opt-out list. In AWS a recipient opts out by replying STOP (or another opt-out keyword); in
/// Nephele that reply is simulated through the internal endpoint POST /_aws/sns/sms-opt-outs. An opted-out number keeps
/// its subscriptions, but nothing is sent to it until OptInPhoneNumber, which AWS allows once every 30 days per number.
/// </summary>
public sealed partial class SnsProvider
{
    private const int OptedOutPageSize = 100;
    private static readonly TimeSpan OptInInterval = TimeSpan.FromDays(30);

    private void RegisterSmsOptOuts(OperationRegistry operations) => operations
        .On("CheckIfPhoneNumberIsOptedOut", (ctx, input) => new() { ["isOptedOut"] = IsOptedOut(ctx.Scope, RequireOptOutNumber(input)) })
        .On("ListPhoneNumbersOptedOut", ListPhoneNumbersOptedOut)
        .On("OptInPhoneNumber", OptInPhoneNumber);

    private static string RequireOptOutNumber(Dictionary<string, object?> input)
    {
        var phone = input.RequireString("phoneNumber");
        if (!IsPhoneNumber(phone)) throw SnsErrors.InvalidParameter("Invalid parameter: PhoneNumber Reason: input incorrectly formatted");
        return OptOutKey(phone);
    }

    /// <summary>The list's key for a number as people type it: E.164 without separators.</summary>
    private static string OptOutKey(string phone)
    {
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        return "+" + digits;
    }

    private bool IsOptedOut(Scope scope, string phone) =>
        _optOuts.Get(scope, OptOutKey(phone), SnsJsonContext.Default.SmsOptOut) is { OptedOut: true };

    /// <summary>Records a recipient's STOP reply (the internal endpoint's work).</summary>
    internal static void OptOut(IResourceTable optOuts, Scope scope, string phone, DateTimeOffset now)
    {
        var key = OptOutKey(phone);
        var existing = optOuts.Get(scope, key, SnsJsonContext.Default.SmsOptOut);
        optOuts.Put(scope, key, new SmsOptOut(key, true, now.ToUnixTimeMilliseconds(), existing?.OptedInMillis), SnsJsonContext.Default.SmsOptOut);
    }

    private Dictionary<string, object?> ListPhoneNumbersOptedOut(RequestContext ctx, Dictionary<string, object?> input)
    {
        var after = PageToken.Resume(input.GetString("nextToken"), () => SnsErrors.InvalidParameter("Invalid parameter: nextToken"));
        var numbers = new List<object?>();
        string? next = null;
        // Numbers opted in again stay in the table (for the 30-day rule), so a page is filled by skipping them.
        foreach (var row in _optOuts.List(ctx.Scope, startAfter: after))
        {
            if (System.Text.Json.JsonSerializer.Deserialize(row.Value, SnsJsonContext.Default.SmsOptOut) is not { OptedOut: true }) continue;
            if (numbers.Count == OptedOutPageSize)
            {
                next = PageToken.After(numbers[^1] as string ?? "");
                break;
            }
            numbers.Add(row.Key);
        }
        return new() { ["phoneNumbers"] = numbers, ["nextToken"] = next };
    }

    private Dictionary<string, object?> OptInPhoneNumber(RequestContext ctx, Dictionary<string, object?> input)
    {
        var key = RequireOptOutNumber(input);
        _state.Transaction(() =>
        {
            var record = _optOuts.Get(ctx.Scope, key, SnsJsonContext.Default.SmsOptOut);
            if (record is not { OptedOut: true }) return 0;
            if (record.OptedInMillis is { } last && ctx.Now - DateTimeOffset.FromUnixTimeMilliseconds(last) < OptInInterval)
                throw SnsErrors.InvalidParameter($"Invalid parameter: PhoneNumber Reason: {key} was opted in less than 30 days ago; a phone number can be opted in only once every 30 days");
            _optOuts.Put(ctx.Scope, key, record with { OptedOut = false, OptedInMillis = ctx.Now.ToUnixTimeMilliseconds() }, SnsJsonContext.Default.SmsOptOut);
            return 0;
        });
        return [];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SNS did not send an SMS to {PhoneNumber}: the number is opted out")]
    private static partial void LogOptedOut(ILogger logger, string phoneNumber);
}

/// <summary>A number on the opt-out list; kept after opting in again to enforce the 30-day opt-in interval.</summary>
internal sealed record SmsOptOut(string PhoneNumber, bool OptedOut, long OptedOutMillis, long? OptedInMillis);
