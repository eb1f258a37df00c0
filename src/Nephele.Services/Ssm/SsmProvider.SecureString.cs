using System.Text;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Ssm;

public sealed partial class SsmProvider
{
    private const string DefaultKeyAlias = "alias/aws/ssm";

    /// <summary>The stored form of a SecureString: the base64 KMS ciphertext, bound to the parameter ARN.</summary>
    private string Encrypt(RequestContext ctx, string name, string keyId, string value)
    {
        try
        {
            var (_, blob) = _kms.Encrypt(ctx.Scope, keyId == DefaultKeyAlias ? null : keyId, "ssm", Encoding.UTF8.GetBytes(value), Context(ctx, name), ctx);
            return Convert.ToBase64String(blob);
        }
        catch (AwsException e)
        {
            throw KmsFailure(e);
        }
    }

    /// <summary>A value as the API shows it: without decryption AWS returns a SecureString's ciphertext, base64.</summary>
    private string Present(RequestContext ctx, string name, ParameterVersion v, bool decrypt)
    {
        if (v.Type != "SecureString" || (decrypt && !v.Encrypted)) return v.Value;
        // SecureStrings stored before KMS encryption existed: never show the plaintext without decryption.
        if (!v.Encrypted) return Convert.ToBase64String(Encoding.UTF8.GetBytes($"nephele:{v.KeyId}:{Convert.ToBase64String(Encoding.UTF8.GetBytes(v.Value))}"));
        if (!decrypt) return v.Value;
        try
        {
            return Encoding.UTF8.GetString(_kms.Decrypt(ctx.Scope, Convert.FromBase64String(v.Value), Context(ctx, name), ctx, "ssm").Plaintext);
        }
        catch (AwsException e)
        {
            throw KmsFailure(e);
        }
    }

    private static Dictionary<string, string> Context(RequestContext ctx, string name) =>
        new(StringComparer.Ordinal) { ["PARAMETER_ARN"] = ParameterNames.Arn(ctx.Region, ctx.AccountId, name) };

    // Parameter Store reports KMS failures (unknown, disabled or pending-deletion keys) as InvalidKeyId, quoting KMS.
    // A caller KMS refuses its key (under --enforce-iam) gets KMS's AccessDeniedException as it is.
    private static AwsException KmsFailure(AwsException kms) => kms.Code == "AccessDeniedException" ? kms :
        new("InvalidKeyId", $"{kms.Message} (Service: AWSKMS; Status Code: 400; Error Code: {kms.Code})");
}
