using Nephele.Core.State;

namespace Nephele.Services.Iam;

/// <summary>
/// Checks codes of virtual MFA devices against Nephele's clock: two consecutive codes to enable or resync a device,
/// one code to sign in (STS GetSessionToken and AssumeRole with SerialNumber and TokenCode). A step whose code was
/// accepted cannot be used again.
/// </summary>
internal static class MfaCodes
{
    // Enabling accepts a pair generated up to five minutes ago (someone typing two codes 30 s apart);
    // resynchronizing searches a wider window, since that is what it is for.
    private const int EnableWindowSteps = 10;
    private const int ResyncWindowSteps = 240;
    // A single sign-in code may be one step early or late.
    private const int SignInSkewSteps = 1;

    /// <summary>The step of the second code when code1 and code2 are consecutive codes of the device, else null.</summary>
    public static long? MatchPair(MfaDeviceRecord device, string code1, string code2, DateTimeOffset now, bool resync)
    {
        var secret = Totp.Base32Decode(device.Seed);
        var current = Totp.StepAt(now) + (resync ? 0 : device.Drift);
        var window = resync ? ResyncWindowSteps : EnableWindowSteps;
        for (var step = current + 1; step >= current - window; step--)
        {
            if (step <= device.LastUsedStep) break;
            if (Totp.Code(secret, step) == code2 && Totp.Code(secret, step - 1) == code1) return step;
        }
        // Resynchronizing also looks ahead: a device whose clock runs fast.
        if (resync)
            for (var step = current + 2; step <= current + window; step++)
                if (Totp.Code(secret, step) == code2 && Totp.Code(secret, step - 1) == code1) return step;
        return null;
    }

    /// <summary>The step the code belongs to when it is a current, unused code of the device, else null.</summary>
    public static long? MatchOne(MfaDeviceRecord device, string code, DateTimeOffset now)
    {
        var secret = Totp.Base32Decode(device.Seed);
        var current = Totp.StepAt(now) + device.Drift;
        for (var step = current - SignInSkewSteps; step <= current + SignInSkewSteps; step++)
            if (step > device.LastUsedStep && Totp.Code(secret, step) == code) return step;
        return null;
    }

    /// <summary>
    /// For STS: checks a sign-in code of the enabled device with this serial number that belongs to the user, and
    /// spends it. False when the device is unknown, not the user's, or the code is wrong or already used.
    /// </summary>
    public static bool TrySignIn(IamStore store, Scope scope, string serialNumber, string? userName, string code, DateTimeOffset now) =>
        store.Transaction(() =>
        {
            var device = store.MfaDevices.Get(scope, serialNumber);
            if (device is null || device.SerialNumber != serialNumber || device.UserName is null) return false;
            if (!string.Equals(device.UserName, userName, StringComparison.OrdinalIgnoreCase)) return false;
            if (MatchOne(device, code, now) is not { } step) return false;
            store.MfaDevices.Put(scope, serialNumber, device with { LastUsedStep = step });
            return true;
        });
}
