using Nephele.Core.Protocols;

namespace Nephele.Core.Auth;

/// <summary>Which signing scheme a request used.</summary>
public enum SignatureVersion
{
    /// <summary>AWS4-HMAC-SHA256, in the Authorization header or a presigned query string.</summary>
    V4,
    /// <summary>AWS4-ECDSA-P256-SHA256 (multi-region): parsed for routing, its signature is not verified.</summary>
    V4A,
    /// <summary>Legacy <c>AWS AKID:sig</c> header or <c>AWSAccessKeyId=</c> presigned query: only the key is read.</summary>
    V2,
}

/// <summary>
/// The signing information a request carries: who signed it, for which region and service (the signing name
/// the gateway routes by), and the signature to verify. Parsing is span-based and allocates only the parts it
/// returns, because the gateway parses every request.
/// </summary>
public sealed class SigV4Credential
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string AlgorithmV4A = "AWS4-ECDSA-P256-SHA256";
    public const string Terminator = "aws4_request";

    public required string AccessKeyId { get; init; }
    /// <summary>The credential scope's date, <c>yyyyMMdd</c>; empty for SigV2.</summary>
    public string Date { get; init; } = "";
    /// <summary>The credential scope's region; empty for SigV2 (and for SigV4a, see <see cref="RegionSet"/>).</summary>
    public string Region { get; init; } = "";
    /// <summary>The signing name ("s3", "sqs", "execute-api" ...); empty for SigV2.</summary>
    public string Service { get; init; } = "";
    /// <summary>Semicolon-separated lowercase header names, exactly as sent.</summary>
    public string SignedHeaders { get; init; } = "";
    public string Signature { get; init; } = "";
    public bool IsPresigned { get; init; }
    public string? SessionToken { get; init; }
    public SignatureVersion Version { get; init; } = SignatureVersion.V4;
    /// <summary>The request timestamp as sent: X-Amz-Date (query or header), else the Date header.</summary>
    public string? Timestamp { get; init; }
    /// <summary>Presigned only: X-Amz-Expires (SigV4, seconds) or Expires (SigV2, epoch seconds), as sent.</summary>
    public string? Expires { get; init; }
    /// <summary>SigV4a only: the X-Amz-Region-Set value.</summary>
    public string? RegionSet { get; init; }

    /// <summary><c>date/region/service/aws4_request</c>, the scope signatures are computed for.</summary>
    public string Scope => $"{Date}/{Region}/{Service}/{Terminator}";

    /// <summary>
    /// For routing: the request's credential, or null when it has none or it is malformed. Never throws.
    /// </summary>
    public static SigV4Credential? TryParse(AwsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Parse(request.Headers, request.QueryString, out _);
    }

    /// <summary>
    /// For verification: the request's credential, or null when it carries none (an anonymous request).
    /// A malformed one throws the error AWS gives (IncompleteSignature and its per-service equivalents).
    /// </summary>
    public static SigV4Credential? Parse(AwsRequest request, AuthErrorDialect dialect = AuthErrorDialect.Query)
    {
        ArgumentNullException.ThrowIfNull(request);
        var credential = Parse(request.Headers, request.QueryString, out var error);
        if (error is not null) throw AuthErrors.Incomplete(dialect, error, presigned: !request.Headers.Contains("Authorization"));
        return credential;
    }

    /// <summary>
    /// Parses the Authorization header or the presigned query string. On malformed input returns null and
    /// sets <paramref name="error"/> to AWS's explanation; returns null with no error when there is no credential.
    /// </summary>
    public static SigV4Credential? Parse(HeaderMap headers, string queryString, out string? error)
    {
        ArgumentNullException.ThrowIfNull(headers);
        error = null;
        var authorization = headers.Get("Authorization");
        if (!string.IsNullOrEmpty(authorization))
            return ParseAuthorizationHeader(authorization, headers, out error);
        if (!string.IsNullOrEmpty(queryString))
            return ParsePresigned(queryString, out error);
        return null;
    }

    private static SigV4Credential? ParseAuthorizationHeader(string authorization, HeaderMap headers, out string? error)
    {
        error = null;
        var value = authorization.AsSpan().Trim();
        var space = value.IndexOf(' ');
        var scheme = space < 0 ? value : value[..space];
        var rest = space < 0 ? [] : value[(space + 1)..].Trim();

        if (scheme.SequenceEqual("AWS"))
        {
            // SigV2: "AWS AKID:signature"
            var colon = rest.LastIndexOf(':');
            if (colon <= 0)
            {
                error = $"Authorization header is invalid -- one and only one ' ' (space) required. Authorization={authorization}";
                return null;
            }
            return new SigV4Credential
            {
                AccessKeyId = rest[..colon].ToString(),
                Signature = rest[(colon + 1)..].ToString(),
                Version = SignatureVersion.V2,
                SessionToken = headers.Get("X-Amz-Security-Token"),
                Timestamp = headers.Get("X-Amz-Date") ?? headers.Get("Date"),
            };
        }

        var v4a = scheme.SequenceEqual(AlgorithmV4A);
        if (!v4a && !scheme.SequenceEqual(Algorithm))
        {
            error = $"Unsupported Authorization Type. Authorization={authorization}";
            return null;
        }

        ReadOnlySpan<char> credential = default, signedHeaders = default, signature = default;
        bool hasCredential = false, hasSignedHeaders = false, hasSignature = false;
        foreach (var range in rest.Split(','))
        {
            var part = rest[range].Trim();
            var eq = part.IndexOf('=');
            if (eq < 0) continue;
            var name = part[..eq].Trim();
            var val = part[(eq + 1)..].Trim();
            if (name.SequenceEqual("Credential")) { credential = val; hasCredential = true; }
            else if (name.SequenceEqual("SignedHeaders")) { signedHeaders = val; hasSignedHeaders = true; }
            else if (name.SequenceEqual("Signature")) { signature = val; hasSignature = true; }
        }

        if (!hasCredential || !hasSignedHeaders || !hasSignature)
        {
            // AWS lists every missing parameter, each as its own sentence.
            error = (hasCredential ? "" : "Authorization header requires 'Credential' parameter. ")
                + (hasSignature ? "" : "Authorization header requires 'Signature' parameter. ")
                + (hasSignedHeaders ? "" : "Authorization header requires 'SignedHeaders' parameter. ")
                + $"Authorization={authorization}";
            return null;
        }

        var scope = ParseScope(credential, v4a, out var scopeError);
        if (scope is null)
        {
            error = scopeError;
            return null;
        }

        var (akid, date, region, service) = scope.Value;
        return new SigV4Credential
        {
            AccessKeyId = akid,
            Date = date,
            Region = region,
            Service = service,
            SignedHeaders = signedHeaders.ToString(),
            Signature = signature.ToString(),
            Version = v4a ? SignatureVersion.V4A : SignatureVersion.V4,
            SessionToken = headers.Get("X-Amz-Security-Token"),
            Timestamp = headers.Get("X-Amz-Date") ?? headers.Get("Date"),
            RegionSet = v4a ? headers.Get("X-Amz-Region-Set") : null,
        };
    }

    private static SigV4Credential? ParsePresigned(string queryString, out string? error)
    {
        error = null;
        var query = queryString.AsSpan();
        if (query.StartsWith('?')) query = query[1..];

        string? algorithm = null, credential = null, date = null, expires = null, signedHeaders = null,
            signature = null, token = null, regionSet = null, v2Key = null, v2Signature = null, v2Expires = null;
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            var eq = pair.IndexOf('=');
            if (eq <= 0) continue;
            var key = pair[..eq];
            // Every parameter of interest starts with "X-Amz-" or is a SigV2 one; skip the rest without allocating.
            if (key.StartsWith("X-Amz-", StringComparison.OrdinalIgnoreCase))
            {
                var name = key[6..];
                var raw = pair[(eq + 1)..];
                if (name.Equals("Algorithm", StringComparison.OrdinalIgnoreCase)) algorithm = Decode(raw);
                else if (name.Equals("Credential", StringComparison.OrdinalIgnoreCase)) credential = Decode(raw);
                else if (name.Equals("Date", StringComparison.OrdinalIgnoreCase)) date = Decode(raw);
                else if (name.Equals("Expires", StringComparison.OrdinalIgnoreCase)) expires = Decode(raw);
                else if (name.Equals("SignedHeaders", StringComparison.OrdinalIgnoreCase)) signedHeaders = Decode(raw);
                else if (name.Equals("Signature", StringComparison.OrdinalIgnoreCase)) signature = Decode(raw);
                else if (name.Equals("Security-Token", StringComparison.OrdinalIgnoreCase)) token = Decode(raw);
                else if (name.Equals("Region-Set", StringComparison.OrdinalIgnoreCase)) regionSet = Decode(raw);
            }
            else if (key.SequenceEqual("AWSAccessKeyId")) v2Key = Decode(pair[(eq + 1)..]);
            else if (key.SequenceEqual("Signature")) v2Signature = Decode(pair[(eq + 1)..]);
            else if (key.SequenceEqual("Expires")) v2Expires = Decode(pair[(eq + 1)..]);
        }

        if (algorithm is null && credential is null && signature is null)
        {
            if (v2Key is null) return null;
            return new SigV4Credential
            {
                AccessKeyId = v2Key,
                Signature = v2Signature ?? "",
                Expires = v2Expires,
                IsPresigned = true,
                Version = SignatureVersion.V2,
                SessionToken = token,
            };
        }

        var v4a = algorithm == AlgorithmV4A;
        if (algorithm is null || credential is null || signature is null || date is null || signedHeaders is null)
        {
            error = "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', "
                + "'X-Amz-SignedHeaders', and 'X-Amz-Date'. Re-examine the query-string parameters.";
            return null;
        }
        if (!v4a && algorithm != Algorithm)
        {
            error = $"X-Amz-Algorithm only supports \"{Algorithm}\" and \"{AlgorithmV4A}\"";
            return null;
        }

        var scope = ParseScope(credential, v4a, out var scopeError);
        if (scope is null)
        {
            error = scopeError;
            return null;
        }

        var (akid, scopeDate, region, service) = scope.Value;
        return new SigV4Credential
        {
            AccessKeyId = akid,
            Date = scopeDate,
            Region = region,
            Service = service,
            SignedHeaders = signedHeaders,
            Signature = signature,
            IsPresigned = true,
            Version = v4a ? SignatureVersion.V4A : SignatureVersion.V4,
            SessionToken = token,
            Timestamp = date,
            Expires = expires,
            RegionSet = regionSet,
        };
    }

    /// <summary>
    /// <c>AKID/yyyyMMdd/region/service/aws4_request</c>; SigV4a omits the region. The scope is read from the end and the
    /// access key is everything before it, so a key that contains '/' (never issued by AWS, but typed by people) still parses.
    /// </summary>
    private static (string AccessKeyId, string Date, string Region, string Service)? ParseScope(
        ReadOnlySpan<char> credential, bool v4a, out string? error)
    {
        error = null;
        var parts = v4a ? 3 : 4;
        var end = credential.Length;
        Span<Range> tail = stackalloc Range[4];
        for (var i = parts - 1; i >= 0; i--)
        {
            var slash = credential[..end].LastIndexOf('/');
            if (slash < 0)
            {
                error = $"Credential must have exactly {parts + 1} slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'";
                return null;
            }
            tail[i] = new Range(slash + 1, end);
            end = slash;
        }

        var akid = credential[..end];
        var date = credential[tail[0]];
        var region = v4a ? [] : credential[tail[1]];
        var service = credential[tail[parts - 2]];
        var terminator = credential[tail[parts - 1]];
        if (akid.IsEmpty)
        {
            error = $"Credential must have exactly {parts + 1} slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'";
            return null;
        }
        if (!terminator.SequenceEqual(Terminator))
        {
            error = $"Credential should be scoped with a valid terminator: '{Terminator}', not '{terminator}'. ";
            return null;
        }
        if (date.Length != 8 || !IsDigits(date))
        {
            error = $"Date must be in ISO-8601 'basic format'. Got '{date}'. See http://en.wikipedia.org/wiki/ISO_8601";
            return null;
        }
        if (!v4a && region.IsEmpty)
        {
            error = "Credential should be scoped to a valid region, not ''. ";
            return null;
        }
        if (service.IsEmpty)
        {
            error = "Credential should be scoped to correct service. ";
            return null;
        }
        return (akid.ToString(), date.ToString(), region.ToString(), service.ToString());
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (c is < '0' or > '9') return false;
        return true;
    }

    private static string Decode(ReadOnlySpan<char> raw) =>
        raw.Contains('%') ? Uri.UnescapeDataString(raw.ToString()) : raw.ToString();
}
