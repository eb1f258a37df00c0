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
    ];

    // Nephele has no console to sign in to, so the password is checked against the password policy and not kept.
    private Dictionary<string, object?> CreateLoginProfile(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var user = User(ctx, Required(input, "UserName"));
        CheckPassword(ctx, Required(input, "Password"));
        if (user.LoginProfile is not null) throw IamErrors.AlreadyExists($"Login Profile for user {user.UserName} already exists.");
        var profile = new LoginProfileRecord(ctx.Now, input.GetBool("PasswordResetRequired") ?? false);
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
        if (input.GetString("Password") is { } password) CheckPassword(ctx, password);
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
