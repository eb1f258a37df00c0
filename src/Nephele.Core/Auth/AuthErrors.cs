using System.Globalization;
using Nephele.Core.Protocols;

namespace Nephele.Core.Auth;

/// <summary>
/// AWS words the same authentication failure differently per family of service: query/XML services
/// (STS, SQS query, SNS, EC2 ...), JSON services (DynamoDB, Kinesis, Lambda ...) and S3. The gateway knows the
/// protocol of the target service and picks the dialect; without it, the signing name decides (S3 or query).
/// </summary>
public enum AuthErrorDialect
{
    Query,
    Json,
    S3,
}

/// <summary>The authentication errors AWS returns, with their codes, messages and statuses per dialect.</summary>
public static class AuthErrors
{
    public const string SignatureMismatchMessage =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    public const string InvalidTokenMessage = "The security token included in the request is invalid.";

    /// <summary>S3-family signing names: S3 quirks apply (single path encoding, UNSIGNED-PAYLOAD presigning, its error codes).</summary>
    public static bool IsS3(string service) =>
        service is "s3" or "s3-object-lambda" or "s3express" or "s3-outposts";

    public static AuthErrorDialect DialectFor(string service) => IsS3(service) ? AuthErrorDialect.S3 : AuthErrorDialect.Query;

    /// <summary>A malformed Authorization header or presigned query string.</summary>
    public static AwsException Incomplete(AuthErrorDialect dialect, string message, bool presigned) => dialect switch
    {
        AuthErrorDialect.S3 when presigned => new("AuthorizationQueryParametersError", message, 400),
        AuthErrorDialect.S3 => new("AuthorizationHeaderMalformed", $"The authorization header is malformed; {message}", 400),
        AuthErrorDialect.Json => new("IncompleteSignatureException", message, 400),
        _ => new("IncompleteSignature", message, 400),
    };

    /// <summary>
    /// The signature is wrong. Query and JSON services append the canonical request and string to sign to the
    /// message (AWS does, so users can diff against their client); S3 returns them as extra error members.
    /// </summary>
    public static AwsException SignatureMismatch(AuthErrorDialect dialect, string? canonicalRequest = null,
        string? stringToSign = null, string? accessKeyId = null, string? signatureProvided = null)
    {
        if (dialect == AuthErrorDialect.S3)
        {
            var fields = new Dictionary<string, object?>();
            if (accessKeyId is not null) fields["AWSAccessKeyId"] = accessKeyId;
            if (stringToSign is not null) fields["StringToSign"] = stringToSign;
            if (signatureProvided is not null) fields["SignatureProvided"] = signatureProvided;
            if (canonicalRequest is not null) fields["CanonicalRequest"] = canonicalRequest;
            return new("SignatureDoesNotMatch", SignatureMismatchMessage, 403, fields: fields);
        }
        var message = canonicalRequest is null
            ? SignatureMismatchMessage
            : $"{SignatureMismatchMessage}\n\nThe Canonical String for this request should have been\n'{canonicalRequest}'\n\nThe String-to-Sign should have been\n'{stringToSign}'\n";
        return dialect == AuthErrorDialect.Json
            ? new("InvalidSignatureException", message, 400)
            : new("SignatureDoesNotMatch", message, 403);
    }

    /// <summary>A signature AWS considers wrong for a reason other than the hash (scope date, missing header ...).</summary>
    public static AwsException SignatureProblem(AuthErrorDialect dialect, string message) => dialect switch
    {
        AuthErrorDialect.S3 => new("AuthorizationHeaderMalformed", $"The authorization header is malformed; {message}", 400),
        AuthErrorDialect.Json => new("InvalidSignatureException", message, 400),
        _ => new("SignatureDoesNotMatch", message, 403),
    };

    /// <summary>An access key Nephele does not know and cannot derive the secret of.</summary>
    public static AwsException UnknownAccessKey(AuthErrorDialect dialect, string accessKeyId) => dialect switch
    {
        AuthErrorDialect.S3 => new("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", 403,
            fields: new() { ["AWSAccessKeyId"] = accessKeyId }),
        AuthErrorDialect.Json => new("UnrecognizedClientException", InvalidTokenMessage, 400),
        _ => new("InvalidClientTokenId", InvalidTokenMessage, 403),
    };

    /// <summary>Temporary credentials used without (or with the wrong) session token.</summary>
    public static AwsException InvalidSessionToken(AuthErrorDialect dialect) => dialect switch
    {
        AuthErrorDialect.S3 => new("InvalidToken", "The provided token is malformed or otherwise invalid.", 400),
        AuthErrorDialect.Json => new("UnrecognizedClientException", InvalidTokenMessage, 400),
        _ => new("InvalidClientTokenId", InvalidTokenMessage, 403),
    };

    public static AwsException ExpiredToken(AuthErrorDialect dialect) => dialect switch
    {
        AuthErrorDialect.S3 => new("ExpiredToken", "The provided token has expired.", 400),
        AuthErrorDialect.Json => new("ExpiredTokenException", "The security token included in the request is expired", 400),
        _ => new("ExpiredToken", "The security token included in the request is expired", 403),
    };

    /// <summary>A request with no credential at all where one is required.</summary>
    public static AwsException MissingAuthentication(AuthErrorDialect dialect) => dialect switch
    {
        AuthErrorDialect.S3 => new("AccessDenied", "Access Denied", 403),
        AuthErrorDialect.Json => new("MissingAuthenticationTokenException", "Missing Authentication Token", 400),
        _ => new("MissingAuthenticationToken", "Request is missing Authentication Token", 403),
    };

    /// <summary>
    /// The request timestamp is outside the allowed window. S3 says RequestTimeTooSkewed; the others report
    /// "Signature expired" (too old) or "Signature not yet current" (too far in the future) with the window bounds.
    /// </summary>
    public static AwsException TimeTooSkewed(AuthErrorDialect dialect, DateTimeOffset requestTime, DateTimeOffset now, TimeSpan window)
    {
        if (dialect == AuthErrorDialect.S3)
        {
            return new("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.", 403,
                fields: new()
                {
                    ["RequestTime"] = requestTime.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture),
                    ["ServerTime"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    ["MaxAllowedSkewMilliseconds"] = "900000",
                });
        }
        var minutes = (int)window.TotalMinutes;
        var message = requestTime < now
            ? $"Signature expired: {Iso(requestTime)} is now earlier than {Iso(now - window)} ({Iso(now)} - {minutes} min.)"
            : $"Signature not yet current: {Iso(requestTime)} is still later than {Iso(now + window)} ({Iso(now)} + {minutes} min.)";
        return SignatureProblemRaw(dialect, message);
    }

    /// <summary>A presigned URL used after X-Amz-Date + X-Amz-Expires.</summary>
    public static AwsException PresignedExpired(AuthErrorDialect dialect, DateTimeOffset requestTime, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        if (dialect == AuthErrorDialect.S3)
        {
            return new("AccessDenied", "Request has expired", 403, fields: new()
            {
                ["X-Amz-Expires"] = ((long)(expiresAt - requestTime).TotalSeconds).ToString(CultureInfo.InvariantCulture),
                ["Expires"] = expiresAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["ServerTime"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            });
        }
        var lifetime = expiresAt - requestTime;
        var minutes = (long)Math.Round(lifetime.TotalMinutes);
        return SignatureProblemRaw(dialect,
            $"Signature expired: {Iso(requestTime)} is now earlier than {Iso(now - lifetime)} ({Iso(now)} - {minutes} min.)");
    }

    private static AwsException SignatureProblemRaw(AuthErrorDialect dialect, string message) =>
        dialect == AuthErrorDialect.Json
            ? new("InvalidSignatureException", message, 400)
            : new("SignatureDoesNotMatch", message, 403);

    internal static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
