using Nephele.Core.Auth;
using Nephele.Core.Protocols;

namespace Nephele.Core.Gateway;

/// <summary>The signing scope a request names: who signed it, for which region and service.</summary>
public sealed record SigningScope(string AccessKeyId, string Region, string Service);

/// <summary>Reads the caller's credential scope for routing, and resolves (and optionally verifies) the caller.</summary>
public sealed class RequestAuthenticator(ICredentialStore credentials, NepheleOptions options, TimeProvider clock)
{
    public SigningScope? Parse(AwsRequest request)
    {
        var credential = request.Query.Get("X-Amz-Credential");
        if (credential is null)
        {
            var auth = request.Headers.Get("Authorization");
            if (auth is null) return null;
            var i = auth.IndexOf("Credential=", StringComparison.Ordinal);
            if (i < 0) return null;
            var end = auth.IndexOf(',', i);
            credential = auth[(i + "Credential=".Length)..(end < 0 ? auth.Length : end)].Trim();
        }
        var parts = credential.Split('/');
        return parts.Length >= 5 ? new SigningScope(parts[0], parts[2], parts[3]) : null;
    }

    public CallerIdentity Authenticate(AwsRequest request, SigningScope? scope)
    {
        _ = options;
        _ = clock;
        var key = scope?.AccessKeyId ?? "";
        if (credentials.Find(key) is { } issued) return issued.Identity;
        return CallerIdentity.Root(key, key.Length == 12 && key.All(char.IsAsciiDigit) ? key : CallerIdentity.DefaultAccountId);
    }
}
