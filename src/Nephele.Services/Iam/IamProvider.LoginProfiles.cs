using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

public sealed partial class IamProvider
{
    private IEnumerable<(string, Handler)> LoginProfileHandlers() =>
    [
        ("CreateLoginProfile", CreateLoginProfile),
        ("GetLoginProfile", GetLoginProfile),
        ("UpdateLoginProfile", UpdateLoginProfile),
        ("DeleteLoginProfile", DeleteLoginProfile),
        ("ChangePassword", ChangePassword),
    ];

    // Nephele has no console to sign in to: the password is checked against the password policy and kept only as a hash.
    private Dictionary<string, object?> CreateLoginProfile(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var user = User(ctx, Required(input, "UserName"));
        CheckPassword(ctx, Required(input, "Password"));
        if (user.LoginProfile is not null) throw IamErrors.AlreadyExists($"Login Profile for user {user.UserName} already exists.");
        var profile = new LoginProfileRecord(ctx.Now, input.GetBool("PasswordResetRequired") ?? false, PasswordHashes.Hash(Required(input, "Password")));
        _store.Users.Put(Scope(ctx), user.UserName, user with { LoginProfile = profile });
        return new Dictionary<string, object?> { ["LoginProfile"] = LoginProfileOut(user.UserName, profile) };
    });

    private Dictionary<string, object?> GetLoginProfile(RequestContext ctx, Dictionary<string, object?> input)
    {
        var user = User(ctx, Required(input, "UserName"));
        return new() { ["LoginProfile"] = LoginProfileOut(user.UserName, LoginProfile(user)) };
    }

    private Dictionary<string, object?> UpdateLoginProfile(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var user = User(ctx, Required(input, "UserName"));
        var profile = LoginProfile(user);
        if (input.GetString("Password") is { } password)
        {
            CheckPassword(ctx, password);
            profile = WithNewPassword(profile, password);
        }
        profile = profile with { PasswordResetRequired = input.GetBool("PasswordResetRequired") ?? profile.PasswordResetRequired };
        _store.Users.Put(Scope(ctx), user.UserName, user with { LoginProfile = profile });
        return Empty();
    });

    private Dictionary<string, object?> DeleteLoginProfile(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var user = User(ctx, Required(input, "UserName"));
        LoginProfile(user);
        _store.Users.Put(Scope(ctx), user.UserName, user with { LoginProfile = null });
        return Empty();
    });

    /// <summary>An IAM user changes its own password: the old one must match, the new one meet the password policy
    /// (including reuse prevention); a pending reset is then done.</summary>
    private Dictionary<string, object?> ChangePassword(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var userName = CallerUserName(ctx) ?? throw new AwsException("InvalidUserType", "Only IAM Users can change their own password.", 400);
        var user = User(ctx, userName);
        var profile = LoginProfile(user);
        if (profile.PasswordHash is { } hash && !PasswordHashes.Verify(Required(input, "OldPassword"), hash))
            throw new AwsException("AccessDenied", "The old password is incorrect.", 403);
        var password = Required(input, "NewPassword");
        CheckPassword(ctx, password);
        if (_store.PasswordPolicy(Scope(ctx))?.PasswordReusePrevention is { } remembered
            && new[] { profile.PasswordHash }.Concat(profile.PreviousPasswordHashes ?? []).OfType<string>().Take(remembered).Any(h => PasswordHashes.Verify(password, h)))
            throw new AwsException("PasswordPolicyViolation", "Policy constraint violation with password reuse prevention during password change", 400);
        _store.Users.Put(Scope(ctx), user.UserName, user with { LoginProfile = WithNewPassword(profile, password) with { PasswordResetRequired = false } });
        return Empty();
    });

    // IAM's password reuse prevention remembers up to 24 earlier passwords.
    private static LoginProfileRecord WithNewPassword(LoginProfileRecord profile, string password) => profile with
    {
        PasswordHash = PasswordHashes.Hash(password),
        PreviousPasswordHashes = [.. new[] { profile.PasswordHash }.OfType<string>().Concat(profile.PreviousPasswordHashes ?? []).Take(24)],
    };

    private static LoginProfileRecord LoginProfile(UserRecord user) =>
        user.LoginProfile ?? throw IamErrors.NoSuchEntity($"Login Profile for User {user.UserName} cannot be found.");

    /// <summary>The account's password policy (IAM's default when none is set: at least 8 characters of 3 kinds).</summary>
    private void CheckPassword(RequestContext ctx, string password)
    {
        var policy = _store.PasswordPolicy(Scope(ctx));
        string? violation = null;
        if (policy is null)
        {
            var kinds = new[] { password.Any(char.IsAsciiLetterUpper), password.Any(char.IsAsciiLetterLower), password.Any(char.IsAsciiDigit),
                password.Any(c => !char.IsAsciiLetterOrDigit(c)) }.Count(k => k);
            if (password.Length < 8 || kinds < 3)
                violation = "Password should have a minimum length of 8 and include a minimum of three of the following mix of character types: uppercase, lowercase, numbers, and symbols";
        }
        else if (password.Length < policy.MinimumPasswordLength) violation = $"Password should have at least {policy.MinimumPasswordLength} characters";
        else if (policy.RequireUppercaseCharacters && !password.Any(char.IsAsciiLetterUpper)) violation = "Password should have at least one uppercase letter";
        else if (policy.RequireLowercaseCharacters && !password.Any(char.IsAsciiLetterLower)) violation = "Password should have at least one lowercase letter";
        else if (policy.RequireNumbers && !password.Any(char.IsAsciiDigit)) violation = "Password should have at least one number";
        else if (policy.RequireSymbols && password.All(char.IsAsciiLetterOrDigit)) violation = "Password should have at least one symbol";
        if (violation is not null) throw new AwsException("PasswordPolicyViolation", violation, 400);
    }

    private static Dictionary<string, object?> LoginProfileOut(string userName, LoginProfileRecord profile) => new()
    {
        ["UserName"] = userName,
        ["CreateDate"] = profile.CreateDate,
        ["PasswordResetRequired"] = profile.PasswordResetRequired,
    };
}
