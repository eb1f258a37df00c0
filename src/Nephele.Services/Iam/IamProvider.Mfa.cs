using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using QRCoder;

namespace Nephele.Services.Iam;

/// <summary>
/// Virtual MFA devices: created with a Base32 seed and a QR code of its otpauth:// URI, enabled for a user with two
/// consecutive codes (RFC 6238 on Nephele's clock), then usable to sign in through STS.
/// </summary>
public sealed partial class IamProvider
{
    private const int MfaDevicesPerUser = 8;

    private IEnumerable<(string, Handler)> MfaHandlers() =>
    [
        ("CreateVirtualMFADevice", CreateVirtualMfaDevice),
        ("EnableMFADevice", EnableMfaDevice),
        ("DeactivateMFADevice", DeactivateMfaDevice),
        ("DeleteVirtualMFADevice", DeleteVirtualMfaDevice),
        ("ResyncMFADevice", ResyncMfaDevice),
        ("ListMFADevices", ListMfaDevices),
        ("ListVirtualMFADevices", ListVirtualMfaDevices),
        ("GetMFADevice", GetMfaDevice),
    ];

    private Dictionary<string, object?> CreateVirtualMfaDevice(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var name = Required(input, "VirtualMFADeviceName");
        var serial = Arn(ctx, "mfa", PathOf(input), name);
        var tags = IamTags.Read(input);
        if (tags.Count > IamTags.MaxTags) throw IamErrors.LimitExceeded("The number of tags has reached the maximum limit.");
        if (_store.MfaDevices.Get(Scope(ctx), serial) is not null)
            throw IamErrors.AlreadyExists("MFADevice entity at the same path and name already exists.");
        var device = new MfaDeviceRecord { SerialNumber = serial, Seed = Totp.NewSeed(), CreateDate = ctx.Now, Tags = tags };
        _store.MfaDevices.Put(Scope(ctx), serial, device);
        // The QR code an authenticator app scans: the otpauth URI AWS encodes, naming the device and the account.
        var uri = $"otpauth://totp/Amazon%20Web%20Services:{Uri.EscapeDataString(name)}@{ctx.AccountId}?secret={device.Seed}&issuer=Amazon%20Web%20Services";
        return new Dictionary<string, object?>
        {
            ["VirtualMFADevice"] = new Dictionary<string, object?>
            {
                ["SerialNumber"] = serial,
                ["Base32StringSeed"] = System.Text.Encoding.ASCII.GetBytes(device.Seed),
                ["QRCodePNG"] = QrCodePng(uri),
                ["Tags"] = IamTags.WriteOrNull(tags),
            },
        };
    });

    private static byte[] QrCodePng(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(4);
    }

    private Dictionary<string, object?> EnableMfaDevice(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var user = User(ctx, Required(input, "UserName"));
        var serial = Required(input, "SerialNumber");
        var device = VirtualDevice(ctx, serial);
        if (device.UserName is not null) throw IamErrors.AlreadyExists("MFA Device is already in use.");
        if (_store.MfaDevices.All(Scope(ctx)).Count(d => d.UserName == user.UserName) >= MfaDevicesPerUser)
            throw IamErrors.LimitExceeded($"Cannot exceed quota for MFADevicesPerUser: {MfaDevicesPerUser}");
        var step = MfaCodes.MatchPair(device, Required(input, "AuthenticationCode1"), Required(input, "AuthenticationCode2"), ctx.Now, resync: false)
            ?? throw InvalidAuthenticationCode();
        _store.MfaDevices.Put(Scope(ctx), device.SerialNumber, device with { UserName = user.UserName, EnableDate = ctx.Now, LastUsedStep = step });
        return Empty();
    });

    private Dictionary<string, object?> ResyncMfaDevice(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var user = User(ctx, Required(input, "UserName"));
        var device = AssignedDevice(ctx, Required(input, "SerialNumber"), user.UserName);
        var step = MfaCodes.MatchPair(device with { LastUsedStep = 0 }, Required(input, "AuthenticationCode1"), Required(input, "AuthenticationCode2"), ctx.Now, resync: true)
            ?? throw InvalidAuthenticationCode();
        _store.MfaDevices.Put(Scope(ctx), device.SerialNumber, device with { Drift = step - Totp.StepAt(ctx.Now), LastUsedStep = step });
        return Empty();
    });

    private Dictionary<string, object?> DeactivateMfaDevice(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var userName = input.GetString("UserName") is { } named ? User(ctx, named).UserName : CallerUserName(ctx);
        var device = AssignedDevice(ctx, Required(input, "SerialNumber"), userName);
        _store.MfaDevices.Put(Scope(ctx), device.SerialNumber, device with { UserName = null, EnableDate = null, Drift = 0 });
        return Empty();
    });

    private Dictionary<string, object?> DeleteVirtualMfaDevice(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var device = VirtualDevice(ctx, Required(input, "SerialNumber"));
        if (device.UserName is not null) throw IamErrors.DeleteConflict("MFA Device must be deactivated before deletion.");
        _store.MfaDevices.Delete(Scope(ctx), device.SerialNumber);
        return Empty();
    });

    private Dictionary<string, object?> ListMfaDevices(RequestContext ctx, Dictionary<string, object?> input)
    {
        var userName = input.GetString("UserName") is { } named ? User(ctx, named).UserName : CallerUserName(ctx);
        var devices = userName is null ? [] : _store.MfaDevices.All(Scope(ctx)).Where(d => d.UserName == userName);
        return Page(devices, d => d.SerialNumber, input, "MFADevices", d => new Dictionary<string, object?>
        {
            ["UserName"] = d.UserName,
            ["SerialNumber"] = d.SerialNumber,
            ["EnableDate"] = d.EnableDate,
        });
    }

    private Dictionary<string, object?> ListVirtualMfaDevices(RequestContext ctx, Dictionary<string, object?> input)
    {
        var status = input.GetString("AssignmentStatus") ?? "Any";
        var devices = _store.MfaDevices.All(Scope(ctx)).Where(d => status switch
        {
            "Assigned" => d.UserName is not null,
            "Unassigned" => d.UserName is null,
            _ => true,
        });
        return Page(devices, d => d.SerialNumber, input, "VirtualMFADevices", d => new Dictionary<string, object?>
        {
            ["SerialNumber"] = d.SerialNumber,
            ["User"] = d.UserName is not null && _store.Users.Get(Scope(ctx), d.UserName) is { } user ? UserOut(user, listing: true) : null,
            ["EnableDate"] = d.EnableDate,
            ["Tags"] = IamTags.WriteOrNull(d.Tags),
        });
    }

    private Dictionary<string, object?> GetMfaDevice(RequestContext ctx, Dictionary<string, object?> input)
    {
        var userName = input.GetString("UserName") is { } named ? User(ctx, named).UserName : CallerUserName(ctx);
        var device = AssignedDevice(ctx, Required(input, "SerialNumber"), userName);
        return new()
        {
            ["UserName"] = device.UserName,
            ["SerialNumber"] = device.SerialNumber,
            ["EnableDate"] = device.EnableDate,
        };
    }

    private MfaDeviceRecord VirtualDevice(RequestContext ctx, string serial) =>
        _store.MfaDevices.Get(Scope(ctx), serial) is { } device && device.SerialNumber == serial ? device
            : throw IamErrors.NoSuchEntity($"VirtualMFADevice with serial number {serial} doesn't exist.");

    /// <summary>The device with this serial number, enabled for the user.</summary>
    private MfaDeviceRecord AssignedDevice(RequestContext ctx, string serial, string? userName) =>
        _store.MfaDevices.Get(Scope(ctx), serial) is { UserName: not null } device && device.SerialNumber == serial
            && string.Equals(device.UserName, userName, StringComparison.OrdinalIgnoreCase) ? device
            : throw IamErrors.NoSuchEntity($"MFA Device with serial number {serial} does not exist.");

    private static AwsException InvalidAuthenticationCode() =>
        new("InvalidAuthenticationCode", "Authentication code for device is not valid.", 403);
}
