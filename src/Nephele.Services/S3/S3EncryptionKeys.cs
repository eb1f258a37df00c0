using System.Security.Cryptography;
using System.Text;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.S3;

/// <summary>
/// SSE-S3's key hierarchy: every object gets its own random 256-bit data key, stored with the object sealed
/// (AES-256-GCM) under this Nephele's S3 master key. The master key is generated on first use and kept in the state
/// store, so it travels with a state export and survives restarts; object bytes on disk are useless without it.
/// </summary>
internal sealed class S3MasterKey(IStateStore state)
{
    private const byte Format = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const string Row = "sse-s3";
    private static readonly Scope Global = Scope.Global("s3");
    private static readonly byte[] Aad = Encoding.ASCII.GetBytes("nephele-s3-sse-s3-data-key");

    private readonly IResourceTable _keys = state.Table("s3", "master-keys");
    private readonly TableCache<string, byte[]> _cache = new(state.Table("s3", "master-keys"));

    public static byte[] NewDataKey() => RandomNumberGenerator.GetBytes(32);

    /// <summary>The data key sealed under the master key: format byte, nonce, tag, ciphertext.</summary>
    public byte[] Wrap(byte[] dataKey)
    {
        var sealedKey = new byte[1 + NonceSize + TagSize + dataKey.Length];
        sealedKey[0] = Format;
        var nonce = sealedKey.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key(), TagSize);
        aes.Encrypt(nonce, dataKey, sealedKey.AsSpan(1 + NonceSize + TagSize), sealedKey.AsSpan(1 + NonceSize, TagSize), Aad);
        return sealedKey;
    }

    public byte[] Unwrap(byte[] sealedKey)
    {
        if (sealedKey.Length <= 1 + NonceSize + TagSize || sealedKey[0] != Format) throw Unreadable();
        var dataKey = new byte[sealedKey.Length - 1 - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(Key(), TagSize);
            aes.Decrypt(sealedKey.AsSpan(1, NonceSize), sealedKey.AsSpan(1 + NonceSize + TagSize), sealedKey.AsSpan(1 + NonceSize, TagSize), dataKey, Aad);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw Unreadable();
        }
        return dataKey;
    }

    // Read once, then again only after the row changes (a state reset removes it); TryAdd then Get makes two processes
    // that start together agree on one key.
    private byte[] Key() => _cache.Get(Row, row =>
    {
        if (_keys.Get(Global, row) is { } stored) return stored;
        _keys.TryAdd(Global, row, RandomNumberGenerator.GetBytes(32));
        return _keys.Get(Global, row)!;
    });

    /// <summary>A sealed key the master key cannot open: the data directory lost its master key (or was tampered with).</summary>
    private static AwsException Unreadable() =>
        new("InternalError", "The object's encryption key cannot be decrypted with this Nephele's S3 master key.", 500, senderFault: false);
}

/// <summary>The AWS KMS parts of SSE-KMS: encryption context header, the scope a key ARN lives in, KMS errors as S3 reports them.</summary>
internal static class S3KmsKeys
{
    /// <summary>x-amz-server-side-encryption-context: base64 of a JSON object of string values.</summary>
    public static Dictionary<string, string> ParseContext(string? header)
    {
        var context = new Dictionary<string, string>(StringComparer.Ordinal);
        if (header is null) return context;
        var bad = S3Errors.InvalidArgument(
            "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map",
            "x-amz-server-side-encryption-context", header);
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(Convert.FromBase64String(header));
            if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object) throw bad;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Value.ValueKind != System.Text.Json.JsonValueKind.String) throw bad;
                context[p.Name] = p.Value.GetString()!;
            }
        }
        catch (FormatException) { throw bad; }
        catch (System.Text.Json.JsonException) { throw bad; }
        return context;
    }

    /// <summary>The account and region of a KMS key ARN (arn:aws:kms:region:account:key/id), or <paramref name="fallback"/> for a bare id or alias.</summary>
    public static Scope ScopeOf(string keyId, Scope fallback)
    {
        var parts = keyId.Split(':');
        return parts.Length >= 6 && parts[0] == "arn" && parts[2] == "kms" ? new Scope(parts[4], parts[3]) : fallback;
    }

    /// <summary>S3 passes KMS's failures on with a "KMS." prefix (KMS.NotFoundException, KMS.DisabledException, ...).</summary>
    public static AwsException Error(AwsException kms) => kms.Code switch
    {
        "AccessDeniedException" => new AwsException("AccessDenied", kms.Message, 403),
        _ => new AwsException("KMS." + kms.Code, kms.Message, kms.HttpStatus >= 500 ? kms.HttpStatus : 400, kms.SenderFault),
    };
}
