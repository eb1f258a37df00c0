using System.Security.Cryptography;
using System.Text;
using Nephele.Core.Protocols;

namespace Nephele.Services.Kms;

/// <summary>
/// Nephele's ciphertext blob: "NK" + version 1, key id length + key id (UTF-8), 12-byte nonce, 16-byte tag, then
/// the AES-256-GCM ciphertext. The header and the canonical encryption context are the additional authenticated
/// data, so a changed key id, context or byte fails decryption.
/// </summary>
internal static class Ciphertext
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Magic = [(byte)'N', (byte)'K', 1];

    public static byte[] Seal(string keyId, byte[] material, byte[] plaintext, Dictionary<string, string> context)
    {
        var header = Header(keyId);
        var blob = new byte[header.Length + NonceSize + TagSize + plaintext.Length];
        header.CopyTo(blob, 0);
        var nonce = blob.AsSpan(header.Length, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(material, TagSize);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(header.Length + NonceSize + TagSize), blob.AsSpan(header.Length + NonceSize, TagSize),
            Aad(header, context));
        return blob;
    }

    /// <summary>The key id a blob was sealed under; InvalidCiphertextException when it is not a Nephele blob.</summary>
    public static string KeyIdOf(byte[] blob)
    {
        if (blob.Length < Magic.Length + 1 || !blob.AsSpan(0, Magic.Length).SequenceEqual(Magic)) throw Invalid();
        var length = blob[Magic.Length];
        if (blob.Length < Magic.Length + 1 + length + NonceSize + TagSize) throw Invalid();
        return Encoding.UTF8.GetString(blob, Magic.Length + 1, length);
    }

    public static byte[] Open(byte[] blob, byte[] material, Dictionary<string, string> context)
    {
        var headerLength = Magic.Length + 1 + Encoding.UTF8.GetByteCount(KeyIdOf(blob));
        var header = blob.AsSpan(0, headerLength).ToArray();
        var body = blob.AsSpan(headerLength + NonceSize + TagSize);
        var plaintext = new byte[body.Length];
        try
        {
            using var aes = new AesGcm(material, TagSize);
            aes.Decrypt(blob.AsSpan(headerLength, NonceSize), body, blob.AsSpan(headerLength + NonceSize, TagSize), plaintext, Aad(header, context));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw Invalid();
        }
        return plaintext;
    }

    public static AwsException Invalid() => new("InvalidCiphertextException", "");

    private static byte[] Header(string keyId)
    {
        var id = Encoding.UTF8.GetBytes(keyId);
        return [.. Magic, (byte)id.Length, .. id];
    }

    // Length-prefixed pairs in ordinal key order: the same context in any order gives the same bytes.
    private static byte[] Aad(byte[] header, Dictionary<string, string> context)
    {
        using var aad = new MemoryStream();
        aad.Write(header);
        foreach (var (key, value) in context.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            foreach (var part in new[] { key, value })
            {
                var bytes = Encoding.UTF8.GetBytes(part);
                aad.Write(BitConverter.GetBytes(bytes.Length));
                aad.Write(bytes);
            }
        }
        return aad.ToArray();
    }
}
