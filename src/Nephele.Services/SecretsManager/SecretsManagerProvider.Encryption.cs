using System.Text;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.SecretsManager;

public sealed partial class SecretsManagerProvider
{
    /// <summary>A new version whose value is encrypted through KMS with the context AWS uses: the secret ARN and version id.</summary>
    private SecretVersion Sealed(RequestContext ctx, string arn, string? kmsKeyId, string versionId, string? text, byte[]? binary) =>
        Sealed(ScopeOf(arn), ctx.Now, arn, kmsKeyId, versionId, text, binary, ctx);

    /// <summary><see cref="Sealed(RequestContext, string, string?, string, string?, byte[]?)"/> in any account and region (replicas
    /// are encrypted with a key of their own region).</summary>
    private SecretVersion Sealed(Scope scope, DateTimeOffset now, string arn, string? kmsKeyId, string versionId, string? text, byte[]? binary,
        RequestContext? onBehalfOf = null)
    {
        try
        {
            var plaintext = binary ?? Encoding.UTF8.GetBytes(text ?? "");
            var (_, blob) = _kms.Encrypt(scope, kmsKeyId, "secretsmanager", plaintext, Context(arn, versionId), onBehalfOf);
            return new SecretVersion { VersionId = versionId, Ciphertext = blob, Binary = binary is not null, CreatedDate = now };
        }
        catch (AwsException e) when (e.Code == "AccessDeniedException")
        {
            throw KmsAccessDenied();
        }
        catch (AwsException e)
        {
            throw new AwsException("EncryptionFailure", $"Secrets Manager can't encrypt the secret value with the KMS key {kmsKeyId ?? "alias/aws/secretsmanager"}: {e.Message} ({e.Code})");
        }
    }

    /// <summary>A version's value in the clear (SecretString or SecretBinary), decrypted through KMS.</summary>
    private (string? Text, byte[]? Binary) Opened(RequestContext ctx, SecretRecord record, SecretVersion version) =>
        Opened(ScopeOf(record.Arn), record, version, ctx);

    private (string? Text, byte[]? Binary) Opened(Scope scope, SecretRecord record, SecretVersion version, RequestContext? onBehalfOf = null)
    {
        // The empty version a rotation began has no value until its createSecret step puts one.
        if (!version.HasValue) throw NotFound($"Secrets Manager can't find the specified secret value for VersionId: {version.VersionId}");
        if (version.Ciphertext is not { Length: > 0 }) return (version.SecretString, version.SecretBinary);
        byte[] plaintext;
        try
        {
            plaintext = _kms.Decrypt(scope, version.Ciphertext, Context(record.Arn, version.VersionId), onBehalfOf, "secretsmanager").Plaintext;
        }
        catch (AwsException e) when (e.Code == "AccessDeniedException")
        {
            throw KmsAccessDenied();
        }
        catch (AwsException e)
        {
            throw new AwsException("DecryptionFailure", $"Secrets Manager can't decrypt the protected secret text using the provided KMS key: {e.Message} ({e.Code})");
        }
        return version.Binary ? (null, plaintext) : (Encoding.UTF8.GetString(plaintext), null);
    }

    // What Secrets Manager answers when KMS refuses the caller its key (a secret of another account encrypted with
    // aws/secretsmanager, or a key policy that does not allow the caller).
    private static AwsException KmsAccessDenied() => new("AccessDeniedException", "Access to KMS is not allowed");

    /// <summary>The account and region a secret lives in, from its ARN (arn:aws:secretsmanager:region:account:secret:...).</summary>
    private static Scope ScopeOf(string arn)
    {
        var parts = arn.Split(':', 6);
        return new Scope(parts[4], parts[3]);
    }

    private static Dictionary<string, string> Context(string arn, string versionId) =>
        new(StringComparer.Ordinal) { ["SecretARN"] = arn, ["SecretVersionId"] = versionId };
}
