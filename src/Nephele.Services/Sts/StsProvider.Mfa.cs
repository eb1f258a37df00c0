using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.Iam;

namespace Nephele.Services.Sts;

/// <summary>
/// GetSessionToken and AssumeRole with SerialNumber and TokenCode: the code of the caller's enabled virtual MFA device
/// is checked (and spent), and the session remembers when MFA was used, for aws:MultiFactorAuthPresent and
/// aws:MultiFactorAuthAge under --enforce-iam.
/// </summary>
public sealed partial class StsProvider
{
    /// <summary>When the request authenticated with MFA, its time; null when it names no MFA device.</summary>
    private DateTimeOffset? VerifyMfa(RequestContext ctx, Dictionary<string, object?> input)
    {
        var serial = input.GetString("SerialNumber");
        var code = input.GetString("TokenCode");
        if (serial is null && code is null) return null;
        if (serial is not null) StsValidation.Length("serialNumber", serial, 9, 256);
        if (code is not null && (code.Length != 6 || !code.All(char.IsAsciiDigit)))
            throw StsValidation.Error($"1 validation error detected: Value '{code}' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*");
        var caller = ctx.Caller;
        var marker = $"arn:aws:iam::{caller.AccountId}:user/";
        var userName = caller.Arn.StartsWith(marker, StringComparison.Ordinal) ? caller.Arn[(caller.Arn.LastIndexOf('/') + 1)..] : null;
        if (serial is null || code is null || userName is null
            || !MfaCodes.TrySignIn(_iam, Scope.Global(caller.AccountId), serial, userName, code, ctx.Now))
            throw new AwsException("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.", 403);
        return ctx.Now;
    }
}
