using System.Security.Cryptography;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.Kms;

namespace Nephele.Services.S3;

/// <summary>
/// Encryption at rest. Every object's bytes are stored AES-256-CTR encrypted (CTR, so a range read decrypts from any
/// offset) under a key chosen by its server-side encryption: SSE-C uses the customer's key (never stored, only its
/// MD5); SSE-S3 and SSE-KMS use a fresh data key per object (per multipart upload), kept in the object's row sealed
/// under this Nephele's S3 master key (SSE-S3) or as a real KMS ciphertext under the customer's KMS key or the
/// aws/s3 AWS managed key (SSE-KMS, DSSE-KMS). A request that names no encryption gets the bucket's default.
/// </summary>
public sealed partial class S3Provider
{
    private readonly KmsEnvelope _kms = new(env);
    private readonly S3MasterKey _masterKey = new(env.State);

    /// <summary>The encryption a new object gets (SSE-C, what the request names, else the bucket default), with its sealed data key.</summary>
    private ObjectRecord WithEncryption(RequestContext ctx, BucketRecord bucket, Dictionary<string, object?> input, ObjectRecord record)
    {
        if (CustomerKeyMd5(input) is { } md5)
        {
            if (input.ContainsKey("ServerSideEncryption"))
                throw S3ObjectErrors.InvalidArgument("Server Side Encryption with Customer provided key is incompatible with the encryption method specified",
                    "x-amz-server-side-encryption", input.GetString("ServerSideEncryption"));
            return record with { SseCustomerAlgorithm = "AES256", SseCustomerKeyMd5 = md5 };
        }
        var requested = input.GetString("ServerSideEncryption");
        var keyId = input.GetString("SSEKMSKeyId");
        if (keyId is not null && requested is null or "AES256")
            throw S3ObjectErrors.InvalidArgument("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
                "x-amz-server-side-encryption-aws-kms-key-id", keyId);
        // The bucket's default is read only when the request leaves something to it (a read per PUT otherwise).
        Dictionary<string, object?>? rule = null;
        Dictionary<string, object?> Rule() => rule ??= DefaultEncryptionRule(bucket.Name);
        var sse = requested;
        if (sse is null)
        {
            var byDefault = Rule().GetStruct("ApplyServerSideEncryptionByDefault");
            sse = byDefault?.GetString("SSEAlgorithm") ?? "AES256";
            keyId = byDefault?.GetString("KMSMasterKeyID");
        }
        switch (sse)
        {
            case "AES256":
                return record with { ServerSideEncryption = "AES256", DataKey = _masterKey.Wrap(S3MasterKey.NewDataKey()) };
            case "aws:kms" or "aws:kms:dsse":
                // Without the header an object uses the bucket's S3 Bucket Key setting; DSSE-KMS never uses bucket keys.
                var bucketKey = sse == "aws:kms" && (input.GetBool("BucketKeyEnabled") ?? Rule().GetBool("BucketKeyEnabled") ?? false);
                var contextHeader = input.GetString("SSEKMSEncryptionContext");
                var context = S3KmsKeys.ParseContext(contextHeader);
                // S3 binds the data key to the object (or, with a bucket key, the bucket) through the aws:s3:arn context pair.
                context.TryAdd("aws:s3:arn", bucketKey ? BucketArn(bucket.Name) : $"{BucketArn(bucket.Name)}/{record.Key}");
                var scope = S3KmsKeys.ScopeOf(keyId ?? "", new(ctx.AccountId, bucket.Region));
                string keyArn;
                byte[] sealedKey;
                try
                {
                    (keyArn, sealedKey) = _kms.Encrypt(scope, keyId, "s3", S3MasterKey.NewDataKey(), context, ctx, "GenerateDataKey");
                }
                catch (AwsException e)
                {
                    throw S3KmsKeys.Error(e);
                }
                return record with
                {
                    ServerSideEncryption = sse,
                    SseKmsKeyId = keyArn,
                    SseKmsContext = contextHeader,
                    KmsContext = context,
                    BucketKeyEnabled = bucketKey ? true : null,
                    DataKey = sealedKey,
                };
            default:
                throw S3ObjectErrors.InvalidArgument("The encryption method specified is not supported", "x-amz-server-side-encryption", sse);
        }
    }

    /// <summary>
    /// The key an object's bytes are encrypted with: the request's SSE-C key (<paramref name="prefix"/> "CopySource" for
    /// a copy's source), or the object's data key unsealed — through KMS for SSE-KMS, so a disabled or deleted KMS key
    /// makes the object unreadable. Null for objects stored in the clear (written before encryption at rest).
    /// </summary>
    private byte[]? ContentKey(RequestContext ctx, ObjectRecord obj, Dictionary<string, object?> input, string prefix = "") =>
        ContentKey(ctx.Scope, obj, input, prefix);

    /// <summary>The key to read a stored object with: under --enforce-iam the caller needs kms:Decrypt on its SSE-KMS key
    /// (through S3: kms:ViaService s3.&lt;region&gt;.amazonaws.com).</summary>
    private byte[]? ReadContentKey(RequestContext ctx, ObjectRecord obj, Dictionary<string, object?> input, string prefix = "") =>
        ContentKey(ctx.Scope, obj, input, prefix, ctx);

    private byte[]? ContentKey(Scope caller, ObjectRecord obj, Dictionary<string, object?> input, string prefix = "", RequestContext? onBehalfOf = null) =>
        obj.SseCustomerKeyMd5 is not null ? CustomerKey(input, prefix) : StoredDataKey(_kms, _masterKey, caller, obj, onBehalfOf);

    /// <summary>An SSE-S3 or SSE-KMS object's data key unsealed (null for objects stored in the clear); also how other
    /// services read objects in process (<see cref="S3ObjectReader"/>).</summary>
    internal static byte[]? StoredDataKey(KmsEnvelope kms, S3MasterKey masterKey, Scope caller, ObjectRecord obj, RequestContext? onBehalfOf = null)
    {
        if (obj.DataKey is not { } wrapped) return null;
        if (obj.ServerSideEncryption == "AES256") return masterKey.Unwrap(wrapped);
        try
        {
            return kms.Decrypt(S3KmsKeys.ScopeOf(obj.SseKmsKeyId ?? "", caller), wrapped, obj.KmsContext ?? [], onBehalfOf, "s3").Plaintext;
        }
        catch (AwsException e)
        {
            throw S3KmsKeys.Error(e);
        }
    }

    /// <summary>The MD5 (base64) of a valid SSE-C key in the request, or null when none was sent.</summary>
    private static string? CustomerKeyMd5(Dictionary<string, object?> input, string prefix = "")
    {
        var algorithm = input.GetString(prefix + "SSECustomerAlgorithm");
        var key = input.GetString(prefix + "SSECustomerKey");
        var md5 = input.GetString(prefix + "SSECustomerKeyMD5");
        if (algorithm is null && key is null && md5 is null) return null;
        if (algorithm is null)
            throw S3ObjectErrors.InvalidArgument("Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.",
                "x-amz-server-side-encryption-customer-algorithm", null);
        if (algorithm != "AES256")
            throw S3ObjectErrors.InvalidArgument("The encryption algorithm specified is not supported.", "x-amz-server-side-encryption-customer-algorithm", algorithm);
        byte[] keyBytes;
        try { keyBytes = Convert.FromBase64String(key ?? ""); }
        catch (FormatException) { keyBytes = []; }
        if (keyBytes.Length != 32)
            throw S3ObjectErrors.InvalidArgument("The secret key was invalid for the specified algorithm.", "x-amz-server-side-encryption-customer-key", null);
        var actual = Convert.ToBase64String(MD5.HashData(keyBytes));
        if (md5 is not null && md5 != actual)
            throw S3ObjectErrors.InvalidArgument("The calculated MD5 hash of the key did not match the hash that was provided.",
                "x-amz-server-side-encryption-customer-key-MD5", md5);
        return actual;
    }

    /// <summary>The SSE-C key bytes of a request (validated), or null when it sends none.</summary>
    private static byte[]? CustomerKey(Dictionary<string, object?> input, string prefix = "") =>
        CustomerKeyMd5(input, prefix) is null ? null : Convert.FromBase64String(input.GetString(prefix + "SSECustomerKey")!);

    /// <summary>SSE-C objects are readable only with the key they were written with.</summary>
    private static void CheckCustomerKey(ObjectRecord obj, Dictionary<string, object?> input, string prefix = "")
    {
        var given = CustomerKeyMd5(input, prefix);
        if (obj.SseCustomerKeyMd5 is null) return;
        if (given is null)
            throw S3ObjectErrors.InvalidRequest("The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.");
        if (given != obj.SseCustomerKeyMd5) throw S3Errors.AccessDenied();
    }

    /// <summary>The x-amz-server-side-encryption* headers of an object (members a response shape lacks are not sent).</summary>
    private static void WriteEncryption(ObjectRecord obj, Dictionary<string, object?> output)
    {
        if (obj.ServerSideEncryption is { } sse) output["ServerSideEncryption"] = sse;
        if (obj.SseKmsKeyId is { } kms) output["SSEKMSKeyId"] = kms;
        if (obj.SseKmsContext is { } context) output["SSEKMSEncryptionContext"] = context;
        if (obj.BucketKeyEnabled is { } bk) output["BucketKeyEnabled"] = bk;
        if (obj.SseCustomerAlgorithm is { } ca) output["SSECustomerAlgorithm"] = ca;
        if (obj.SseCustomerKeyMd5 is { } cm) output["SSECustomerKeyMD5"] = cm;
    }
}
