using Nephele.Core.Protocols;

namespace Nephele.Core.Auth;

/// <summary>Who sent a request, for which region, and (when verified) what its body's chunk signatures chain from.</summary>
public sealed record AuthenticatedRequest(CallerIdentity Caller, string Region, SigV4Credential? Credential, SigV4SigningContext? Signing);

/// <summary>
/// Hop 3 of the request flow in one call: resolve the caller from the credential, verify the signature when
/// enforcement is on, and replace an aws-chunked body with its decoded (and, when verified, chunk-checked) stream.
/// </summary>
public sealed class RequestAuthenticator
{
    private readonly CallerResolver _callers;
    private readonly SigV4Verifier _verifier;

    public RequestAuthenticator(ICredentialStore store, TimeProvider clock, bool enforceSignatures)
    {
        _callers = new CallerResolver(store, clock);
        _verifier = new SigV4Verifier(clock);
        EnforceSignatures = enforceSignatures;
    }

    public bool EnforceSignatures { get; }

    public CallerResolver Callers => _callers;

    /// <param name="request">The request; an aws-chunked <see cref="AwsRequest.Body"/> is replaced by its decoded stream.</param>
    /// <param name="credential">What <see cref="SigV4Credential.TryParse"/> gave the router (null when absent or malformed).</param>
    /// <param name="dialect">How to word errors; the gateway passes Json for JSON-protocol services. Defaults from the signing name.</param>
    public async ValueTask<AuthenticatedRequest> AuthenticateAsync(AwsRequest request, SigV4Credential? credential,
        AuthErrorDialect? dialect = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!EnforceSignatures)
        {
            WrapChunkedBody(request, signing: null);
            return new AuthenticatedRequest(_callers.Resolve(credential), RegionOf(credential), credential, null);
        }

        var errors = dialect ?? AuthErrors.DialectFor(credential?.Service ?? "");
        // The router's lenient parse drops malformed credentials; parse strictly to report why.
        credential ??= SigV4Credential.Parse(request, errors);
        if (credential is null)
        {
            // S3 serves anonymous requests (public buckets, presigned POST forms); everything else needs a signature.
            if (errors != AuthErrorDialect.S3) throw AuthErrors.MissingAuthentication(errors);
            WrapChunkedBody(request, signing: null);
            return new AuthenticatedRequest(_callers.Resolve(null), CallerIdentity.DefaultRegion, null, null);
        }

        var caller = _callers.ResolveForVerification(credential, errors);
        var signing = await _verifier.VerifyAsync(request, credential, caller.SecretAccessKey, errors, ct).ConfigureAwait(false);
        WrapChunkedBody(request, signing);
        if (errors == AuthErrorDialect.S3 && !AwsChunkedStream.IsAwsChunked(request) && ContentSha256Stream.ForRequest(request) is { } checkedBody)
            request.Body = checkedBody;
        return new AuthenticatedRequest(caller.Identity with { SessionToken = credential.SessionToken }, RegionOf(credential), credential, signing);
    }

    private static void WrapChunkedBody(AwsRequest request, SigV4SigningContext? signing)
    {
        if (AwsChunkedStream.ForRequest(request, signing) is { } decoded) request.Body = decoded;
    }

    /// <summary>The credential scope's region; SigV4a's first region of its set unless it is a wildcard.</summary>
    public static string RegionOf(SigV4Credential? credential)
    {
        if (credential is null) return CallerIdentity.DefaultRegion;
        if (credential.Region.Length > 0) return credential.Region;
        var first = credential.RegionSet?.Split(',')[0].Trim();
        return string.IsNullOrEmpty(first) || first.Contains('*', StringComparison.Ordinal) ? CallerIdentity.DefaultRegion : first;
    }
}
