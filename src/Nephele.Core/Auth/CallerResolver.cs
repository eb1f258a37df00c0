namespace Nephele.Core.Auth;

/// <summary>A caller and the secret their requests must be signed with.</summary>
public sealed record ResolvedCaller(CallerIdentity Identity, string SecretAccessKey);

/// <summary>
/// Maps a request's access key to who is calling. Keys Nephele issued (STS, IAM) map to their principal; any
/// other key acts as the root of an account: a 12-digit key is that account id, anything else 000000000000.
/// </summary>
public sealed class CallerResolver(ICredentialStore store, TimeProvider clock)
{
    /// <summary>
    /// The conventional local-emulator credentials: access key "test" (as LocalStack users configure, e.g.
    /// AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test) and any 12-digit access key (naming the account to act
    /// as) are signed with secret "test". Nephele knows no other secret for keys it did not issue, so with
    /// signature enforcement on these keys, and issued ones, are the only ones that verify.
    /// </summary>
    public const string TestAccessKeyId = "test";
    public const string TestSecretAccessKey = "test";

    /// <summary>For routing and scoping: never throws, ignores expiry and session tokens.</summary>
    public CallerIdentity Resolve(SigV4Credential? credential)
    {
        if (credential is null || credential.AccessKeyId.Length == 0)
            return CallerIdentity.Root("", CallerIdentity.DefaultAccountId);
        var issued = store.Find(credential.AccessKeyId);
        if (issued is not null) return issued.Identity with { SessionToken = credential.SessionToken ?? issued.SessionToken };
        return RootOf(credential.AccessKeyId);
    }

    /// <summary>
    /// For signature enforcement: the caller and the secret to verify against, or the AWS error for an unknown
    /// key, a missing or wrong session token, or expired temporary credentials.
    /// </summary>
    public ResolvedCaller ResolveForVerification(SigV4Credential credential, AuthErrorDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var issued = store.Find(credential.AccessKeyId);
        if (issued is not null)
        {
            if (issued.SessionToken is not null && !string.Equals(issued.SessionToken, credential.SessionToken, StringComparison.Ordinal))
                throw AuthErrors.InvalidSessionToken(dialect);
            if (issued.Expiration is { } expiration && clock.GetUtcNow() >= expiration)
                throw AuthErrors.ExpiredToken(dialect);
            return new ResolvedCaller(issued.Identity with { SessionToken = issued.SessionToken }, issued.SecretAccessKey);
        }
        if (credential.AccessKeyId == TestAccessKeyId || IsAccountId(credential.AccessKeyId))
            return new ResolvedCaller(RootOf(credential.AccessKeyId), TestSecretAccessKey);
        throw AuthErrors.UnknownAccessKey(dialect, credential.AccessKeyId);
    }

    private static CallerIdentity RootOf(string accessKeyId) =>
        CallerIdentity.Root(accessKeyId, IsAccountId(accessKeyId) ? accessKeyId : CallerIdentity.DefaultAccountId);

    public static bool IsAccountId(string value) => value.Length == 12 && value.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;
}
