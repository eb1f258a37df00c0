using System.Text;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.SecretsManager;

public sealed partial class SecretsManagerProvider
{
    /// <summary>A new version whose value is encrypted through KMS with the context AWS uses: the secret ARN and version id.</summary>
    private SecretVersion Sealed(RequestContext ctx, string arn, string? kmsKeyId, string versionId, string? text, byte[]? binary) =>
        Sealed(ctx.Scope, ctx.Now, arn, kmsKeyId, versionId, text, binary);

    /// <summary><see cref="Sealed(RequestContext, string, string?, string, string?, byte[]?)"/> in any account and region (replicas
    /// are encrypted with a key of their own region).</summary>
    private SecretVersion Sealed(Scope scope, DateTimeOffset now, string arn, string? kmsKeyId, string versionId, string? text, byte[]? binary)
    {
        try
        {
            var plaintext = binary ?? Encoding.UTF8.GetBytes(text ?? "");
            var (_, blob) = _kms.Encrypt(scope, kmsKeyId, "secretsmanager", plaintext, Context(arn, versionId));
            return new SecretVersion { VersionId = versionId, Ciphertext = blob, Binary = binary is not null, CreatedDate = now };
        }
        catch (AwsException e)
        {
            throw new AwsException("EncryptionFailure", $"Secrets Manager can't encrypt the secret value with the KMS key {kmsKeyId ?? "alias/aws/secretsmanager"}: {e.Message} ({e.Code})");
        }
    }

    /// <summary>A version's value in the clear (SecretString or SecretBinary), decrypted through KMS.</summary>
    private (string? Text, byte[]? Binary) Opened(RequestContext ctx, SecretRecord record, SecretVersion version)
    {
        if (version.Ciphertext is null) return (version.SecretString, version.SecretBinary);
        byte[] plaintext;
        try
        {
            plaintext = _kms.Decrypt(ctx.Scope, version.Ciphertext, Context(record.Arn, version.VersionId)).Plaintext;
        }
        catch (AwsException e)
        {
            throw new AwsException("DecryptionFailure", $"Secrets Manager can't decrypt the protected secret text using the provided KMS key: {e.Message} ({e.Code})");
        }
        return version.Binary ? (null, plaintext) : (Encoding.UTF8.GetString(plaintext), null);
    }

    private static Dictionary<string, string> Context(string arn, string versionId) =>
        new(StringComparer.Ordinal) { ["SecretARN"] = arn, ["SecretVersionId"] = versionId };
}
