using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// Who a browser upload acts as: the signer of its POST policy (SigV4: x-amz-algorithm, -credential, -date and
/// -signature, the signature being the HMAC of the base64 policy with the SigV4 signing key; or SigV2's AWSAccessKeyId
/// and signature), else an anonymous caller. Like every other signature in Nephele, the policy signature is verified
/// when signature enforcement is on; the fields are always checked for completeness and scope.
/// </summary>
public sealed partial class S3Provider
{
    private static readonly string[] SigV4PostFields = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Signature"];

    private CallerIdentity AuthenticatePost(RequestContext ctx, S3PostForm form, BucketRecord bucket)
    {
        var resolver = new CallerResolver(env.Credentials, env.Clock);
        if (SigV4PostFields.Any(form.Has)) return AuthenticateSigV4Post(ctx, form, bucket, resolver);
        if (form.Has("AWSAccessKeyId") || form.Has("signature")) return AuthenticateSigV2Post(form, resolver);
        // Without a signed policy the upload is anonymous: only a publicly writable bucket would take it.
        if (env.Options.EnforceSignatures) throw S3Errors.AccessDenied();
        return ctx.Caller;
    }

    private CallerIdentity AuthenticateSigV4Post(RequestContext ctx, S3PostForm form, BucketRecord bucket, CallerResolver resolver)
    {
        foreach (var field in SigV4PostFields)
            if (!form.Has(field)) throw MissingPostField(field);
        var policy = form.Get("policy") ?? throw MissingPostField("Policy");
        var algorithm = form.Get("X-Amz-Algorithm")!;
        if (algorithm != SigV4Credential.Algorithm)
            throw S3Errors.InvalidArgument("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"", "X-Amz-Algorithm", algorithm);
        var credentialText = form.Get("X-Amz-Credential")!;
        var parts = credentialText.Split('/');
        if (parts.Length != 5 || parts[4] != SigV4Credential.Terminator)
            throw S3Errors.InvalidArgument("the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".",
                "X-Amz-Credential", credentialText);
        if (parts[0].Length == 0)
            throw S3Errors.InvalidArgument("a non-empty Access Key (AKID) must be provided in the credential.", "X-Amz-Credential", credentialText);
        if (parts[2] != bucket.Region)
        {
            var error = S3Errors.InvalidArgument($"the region '{parts[2]}' is wrong; expecting '{bucket.Region}'", "X-Amz-Credential", credentialText);
            error.Fields["Region"] = bucket.Region;
            throw error;
        }
        var date = form.Get("X-Amz-Date")!;
        if (!DateTime.TryParseExact(date, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            throw S3Errors.InvalidArgument("X-Amz-Date must be formated via ISO8601 Long format", "X-Amz-Date", date);
        var credential = new SigV4Credential
        {
            AccessKeyId = parts[0],
            Date = parts[1],
            Region = parts[2],
            Service = parts[3],
            SessionToken = form.Get("x-amz-security-token"),
        };
        if (!env.Options.EnforceSignatures) return resolver.Resolve(credential);
        var caller = resolver.ResolveForVerification(credential, AuthErrorDialect.S3);
        var expected = Convert.ToHexStringLower(SigV4Canonical.Sign(SigV4Canonical.SigningKey(caller.SecretAccessKey, parts[1], parts[2], parts[3]), policy));
        var provided = form.Get("X-Amz-Signature")!;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(provided.ToLowerInvariant())))
            throw PostSignatureMismatch(credential.AccessKeyId, policy, provided);
        return caller.Identity with { SessionToken = credential.SessionToken };
    }

    /// <summary>SigV2 forms: the signature is the base64 HMAC-SHA1 of the base64 policy under the secret key.</summary>
    private CallerIdentity AuthenticateSigV2Post(S3PostForm form, CallerResolver resolver)
    {
        var accessKey = form.Get("AWSAccessKeyId") ?? throw MissingPostField("AWSAccessKeyId");
        var signature = form.Get("signature") ?? throw MissingPostField("Signature");
        var policy = form.Get("policy") ?? throw MissingPostField("Policy");
        var credential = new SigV4Credential { AccessKeyId = accessKey, SessionToken = form.Get("x-amz-security-token") };
        if (!env.Options.EnforceSignatures) return resolver.Resolve(credential);
        var caller = resolver.ResolveForVerification(credential, AuthErrorDialect.S3);
        var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(caller.SecretAccessKey), Encoding.UTF8.GetBytes(policy)));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
            throw PostSignatureMismatch(accessKey, policy, signature);
        return caller.Identity with { SessionToken = credential.SessionToken };
    }

    private static AwsException MissingPostField(string name) => S3Errors.InvalidArgument(
        $"Bucket POST must contain a field named '{name}'.  If it is specified, please check the order of the fields.", name, "");

    /// <summary>S3 quotes the policy it signed, as text and as bytes, so the client can compare.</summary>
    private static AwsException PostSignatureMismatch(string accessKey, string policy, string provided)
    {
        var error = AuthErrors.SignatureMismatch(AuthErrorDialect.S3, stringToSign: policy, accessKeyId: accessKey, signatureProvided: provided);
        error.Fields["StringToSignBytes"] = string.Join(' ', Encoding.UTF8.GetBytes(policy).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        return error;
    }
}
