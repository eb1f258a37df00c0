using System.Globalization;
using System.Security.Cryptography;
using Nephele.Core.Protocols;
using Nephele.Core.Time;

namespace Nephele.Core.Auth;

/// <summary>
/// What a verified header signature lets the body decoder check: the signing key, timestamp and scope the
/// request was signed with, and its signature, which seeds the chain of aws-chunked chunk signatures.
/// </summary>
public sealed record SigV4SigningContext(byte[] SigningKey, string Timestamp, string Scope, string SeedSignature);

/// <summary>
/// Verifies SigV4 signatures (Authorization header and presigned query string) against a known secret, with
/// AWS's clock rules: header-signed requests must be within 15 minutes of Nephele's clock, presigned ones
/// until X-Amz-Date + X-Amz-Expires.
/// </summary>
public sealed class SigV4Verifier(TimeProvider clock)
{
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);
    public const long MaxPresignedExpirySeconds = 604800;

    private const string IsoBasicFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>
    /// Verifies the request's signature or throws the AWS error. Buffers the body only when the payload hash is
    /// neither declared in x-amz-content-sha256 nor implied (presigned S3). Returns the signing context for
    /// <see cref="AwsChunkedStream"/>, or null for schemes Nephele reads but does not verify (SigV2, SigV4a).
    /// </summary>
    public async ValueTask<SigV4SigningContext?> VerifyAsync(AwsRequest request, SigV4Credential credential,
        string secretAccessKey, AuthErrorDialect? dialect = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(secretAccessKey);
        if (credential.Version != SignatureVersion.V4) return null;
        var errors = dialect ?? AuthErrors.DialectFor(credential.Service);

        if (!ContainsHost(credential.SignedHeaders))
            throw AuthErrors.Incomplete(errors, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", credential.IsPresigned);

        var timestamp = CheckTime(request, credential, errors);
        var payloadHash = await PayloadHashAsync(request, credential, errors, ct).ConfigureAwait(false);
        var scope = credential.Scope;
        var key = SigV4Canonical.SigningKey(secretAccessKey, credential.Date, credential.Region, credential.Service);
        var provided = ParseHex(credential.Signature);

        string? firstCanonical = null, firstStringToSign = null;
        foreach (var rules in PathRulesToTry(credential.Service, request.Path))
        {
            var canonical = SigV4Canonical.CanonicalRequest(request, credential, payloadHash, rules);
            var stringToSign = SigV4Canonical.StringToSign(timestamp, scope, canonical);
            var expected = SigV4Canonical.Sign(key, stringToSign);
            if (provided is not null && CryptographicOperations.FixedTimeEquals(expected, provided))
                return new SigV4SigningContext(key, timestamp, scope, credential.Signature.ToLowerInvariant());
            firstCanonical ??= canonical;
            firstStringToSign ??= stringToSign;
        }
        throw AuthErrors.SignatureMismatch(errors, firstCanonical, firstStringToSign, credential.AccessKeyId, credential.Signature);
    }

    /// <summary>
    /// S3 signs the path encoded once and never normalized. Other services sign it normalized and encoded again;
    /// clients disagree on the normalization, so when it changes the path the unnormalized form is accepted too,
    /// and single encoding last (some hand-written signers use it everywhere). A wrong secret fails them all.
    /// </summary>
    private static IEnumerable<CanonicalPathRules> PathRulesToTry(string service, string path)
    {
        if (AuthErrors.IsS3(service))
        {
            yield return CanonicalPathRules.S3;
            yield break;
        }
        yield return CanonicalPathRules.Normalized;
        if (SigV4Canonical.RemoveDotSegments(string.IsNullOrEmpty(path) ? "/" : path) != path)
            yield return CanonicalPathRules.Unnormalized;
        if (path.Contains('%')) yield return CanonicalPathRules.S3;
    }

    /// <summary>Validates the request time against the scope and the clock; returns the timestamp to sign.</summary>
    private string CheckTime(AwsRequest request, SigV4Credential credential, AuthErrorDialect errors)
    {
        var now = clock.GetUtcNow();
        // Clients sign with their wall clock, so a request's own timestamp is checked against real time: moving
        // Nephele's clock forward (POST /_nephele/clock) must not make every signed request "skewed". Presigned URLs
        // still expire on Nephele's time, so a test can let one expire by moving the clock.
        var wall = clock is NepheleClock nephele ? nephele.SystemTime.GetUtcNow() : now;
        string timestamp;
        DateTimeOffset time;
        if (credential.IsPresigned)
        {
            if (!TryParseIsoBasic(credential.Timestamp, out time))
                throw AuthErrors.Incomplete(errors, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"", presigned: true);
            timestamp = credential.Timestamp!;
        }
        else
        {
            var amzDate = request.Headers.Get("X-Amz-Date");
            var date = amzDate ?? request.Headers.Get("Date");
            if (date is null)
            {
                throw errors == AuthErrorDialect.S3
                    ? new AwsException("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header", 403)
                    : AuthErrors.Incomplete(errors, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                        + $"Authorization={request.Headers.Get("Authorization")}", presigned: false);
            }
            if (!TryParseIsoBasic(date, out time) && !(amzDate is null && TryParseHttpDate(date, out time)))
            {
                throw errors == AuthErrorDialect.S3
                    ? new AwsException("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header", 403)
                    : AuthErrors.Incomplete(errors, $"Date must be in ISO-8601 'basic format'. Got '{date}'. See http://en.wikipedia.org/wiki/ISO_8601", presigned: false);
            }
            timestamp = amzDate ?? time.UtcDateTime.ToString(IsoBasicFormat, CultureInfo.InvariantCulture);
        }

        if (!timestamp.AsSpan(0, 8).SequenceEqual(credential.Date))
        {
            throw errors == AuthErrorDialect.S3
                ? AuthErrors.Incomplete(errors, "Invalid credential date. Date is not the same as X-Amz-Date.", credential.IsPresigned)
                : AuthErrors.SignatureProblem(errors, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                    + $"'{credential.Date}' != '{timestamp[..8]}', from '{timestamp}'.");
        }

        if (credential.IsPresigned) CheckPresignedWindow(credential, errors, time, now, wall);
        else if ((wall - time).Duration() > AllowedSkew) throw AuthErrors.TimeTooSkewed(errors, time, wall, AllowedSkew);
        return timestamp;
    }

    private static void CheckPresignedWindow(SigV4Credential credential, AuthErrorDialect errors, DateTimeOffset time, DateTimeOffset now, DateTimeOffset wall)
    {
        long? expires = null;
        if (credential.Expires is { } raw)
        {
            if (!long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
                throw AuthErrors.Incomplete(errors, "X-Amz-Expires should be a number", presigned: true);
            if (seconds < 0)
                throw AuthErrors.Incomplete(errors, "X-Amz-Expires must be non-negative", presigned: true);
            if (seconds > MaxPresignedExpirySeconds)
                throw AuthErrors.Incomplete(errors, $"X-Amz-Expires must be less than a week (in seconds) that is {MaxPresignedExpirySeconds}", presigned: true);
            expires = seconds;
        }

        if (errors == AuthErrorDialect.S3)
        {
            if (expires is null)
            {
                throw AuthErrors.Incomplete(errors, "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
                    + "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.", presigned: true);
            }
            if (time - wall > AllowedSkew) throw new AwsException("AccessDenied", "Request is not valid yet", 403);
            var expiresAt = time.AddSeconds(expires.Value);
            if (now > expiresAt) throw AuthErrors.PresignedExpired(errors, time, expiresAt, now);
            return;
        }

        // Other services treat X-Amz-Expires as a wider window than the usual 15 minutes, never a narrower one.
        var lifetime = TimeSpan.FromSeconds(Math.Max(expires ?? 0, (long)AllowedSkew.TotalSeconds));
        if (time - wall > AllowedSkew) throw AuthErrors.TimeTooSkewed(errors, time, wall, AllowedSkew);
        if (now > time + lifetime) throw AuthErrors.PresignedExpired(errors, time, time + lifetime, now);
    }

    private static async ValueTask<string> PayloadHashAsync(AwsRequest request, SigV4Credential credential,
        AuthErrorDialect errors, CancellationToken ct)
    {
        var declared = request.Headers.Get("X-Amz-Content-Sha256");
        if (credential.IsPresigned)
        {
            declared ??= QueryValue(request.QueryString, "X-Amz-Content-Sha256");
            // Presigned S3 URLs always sign UNSIGNED-PAYLOAD: the body is not known when the URL is made.
            if (declared is null && AuthErrors.IsS3(credential.Service)) return SigV4Canonical.UnsignedPayload;
        }
        if (declared is not null)
        {
            if (!IsValidPayloadHash(declared) && errors == AuthErrorDialect.S3)
            {
                throw new AwsException("InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "
                    + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, "
                    + "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.", 400);
            }
            // Outside S3 AWS hashes the (small) body itself, so a body that differs from its declared hash fails
            // the signature; S3 streams instead and checks at the end (ContentSha256Stream).
            if (!AuthErrors.IsS3(credential.Service) && SigV4Canonical.IsSha256Hex(declared))
                return await BodySha256Async(request, ct).ConfigureAwait(false);
            return declared;
        }
        if (errors == AuthErrorDialect.S3 && !credential.IsPresigned)
            throw new AwsException("InvalidRequest", "Missing required header for this request: x-amz-content-sha256", 400);

        return await BodySha256Async(request, ct).ConfigureAwait(false);
    }

    private static async ValueTask<string> BodySha256Async(AwsRequest request, CancellationToken ct)
    {
        var body = await request.ReadBodyAsync(ct).ConfigureAwait(false);
        return body.Length == 0 ? SigV4Canonical.EmptySha256 : SigV4Canonical.Sha256Hex(body);
    }

    private static bool IsValidPayloadHash(string value) => value switch
    {
        SigV4Canonical.UnsignedPayload or SigV4Canonical.StreamingPayload or SigV4Canonical.StreamingPayloadTrailer
            or SigV4Canonical.StreamingUnsignedPayloadTrailer or SigV4Canonical.StreamingV4APayload
            or SigV4Canonical.StreamingV4APayloadTrailer => true,
        _ => SigV4Canonical.IsSha256Hex(value),
    };

    private static bool ContainsHost(string signedHeaders)
    {
        var names = signedHeaders.AsSpan();
        foreach (var range in names.Split(';'))
            if (names[range].Equals("host", StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static string? QueryValue(string rawQuery, string name)
    {
        var query = rawQuery.AsSpan();
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            var eq = pair.IndexOf('=');
            if (eq > 0 && pair[..eq].Equals(name, StringComparison.OrdinalIgnoreCase))
                return Uri.UnescapeDataString(pair[(eq + 1)..].ToString());
        }
        return null;
    }

    private static byte[]? ParseHex(string hex)
    {
        if (hex.Length != 64) return null;
        try { return Convert.FromHexString(hex); }
        catch (FormatException) { return null; }
    }

    internal static bool TryParseIsoBasic(string? value, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(value, IsoBasicFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private static bool TryParseHttpDate(string value, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
