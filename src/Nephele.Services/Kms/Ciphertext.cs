using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Nephele.Core.Protocols;

// The ciphertext formats are checked directly by tests: older formats cannot be produced through the API any more.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Nephele.Services.Tests")]

namespace Nephele.Services.Kms;

/// <summary>
/// Nephele's symmetric ciphertext blob: "NK", format byte, key id length + key id (UTF-8), then (format 2 only) the
/// 4-byte big-endian key material version, then a 12-byte nonce, 16-byte tag and the AES-256-GCM ciphertext.
/// Format 1 blobs (written before rotation existed) have no version and were sealed under version 0. The header and
/// the canonical encryption context are the additional authenticated data, so a changed key id, version, context or
/// byte fails decryption.
/// </summary>
internal static class Ciphertext
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const byte CurrentFormat = 2;

    public readonly record struct Header(string KeyId, int MaterialVersion, int Length);

    public static byte[] Seal(string keyId, int materialVersion, byte[] material, byte[] plaintext, Dictionary<string, string> context)
    {
        var header = WriteHeader(keyId, materialVersion);
        var blob = new byte[header.Length + NonceSize + TagSize + plaintext.Length];
        header.CopyTo(blob, 0);
        var nonce = blob.AsSpan(header.Length, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(material, TagSize);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(header.Length + NonceSize + TagSize), blob.AsSpan(header.Length + NonceSize, TagSize),
            Aad(blob.AsSpan(0, header.Length), context));
        return blob;
    }

    /// <summary>The key and material version a blob was sealed under; InvalidCiphertextException when it is not a Nephele blob.</summary>
    public static Header Read(byte[] blob)
    {
        if (blob.Length < 4 || blob[0] != 'N' || blob[1] != 'K' || blob[2] is not (1 or CurrentFormat)) throw Invalid();
        var idLength = blob[3];
        var versioned = blob[2] == CurrentFormat;
        var length = 4 + idLength + (versioned ? 4 : 0);
        if (blob.Length < length + NonceSize + TagSize) throw Invalid();
        var version = versioned ? BinaryPrimitives.ReadInt32BigEndian(blob.AsSpan(4 + idLength, 4)) : 0;
        if (version < 0) throw Invalid();
        return new Header(Encoding.UTF8.GetString(blob, 4, idLength), version, length);
    }

    /// <summary>Whether a blob looks like a Nephele symmetric blob (an RSA ciphertext is raw bytes without this header).</summary>
    public static bool IsSealed(byte[] blob)
    {
        try
        {
            Read(blob);
            return true;
        }
        catch (AwsException)
        {
            return false;
        }
    }

    public static byte[] Open(byte[] blob, byte[] material, Dictionary<string, string> context)
    {
        var header = Read(blob);
        var body = blob.AsSpan(header.Length + NonceSize + TagSize);
        var plaintext = new byte[body.Length];
        try
        {
            using var aes = new AesGcm(material, TagSize);
            aes.Decrypt(blob.AsSpan(header.Length, NonceSize), body, blob.AsSpan(header.Length + NonceSize, TagSize), plaintext,
                Aad(blob.AsSpan(0, header.Length), context));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw Invalid();
        }
        return plaintext;
    }

    public static AwsException Invalid() => new("InvalidCiphertextException", "");

    private static byte[] WriteHeader(string keyId, int materialVersion)
    {
        var id = Encoding.UTF8.GetBytes(keyId);
        var header = new byte[4 + id.Length + 4];
        header[0] = (byte)'N';
        header[1] = (byte)'K';
        header[2] = CurrentFormat;
        header[3] = (byte)id.Length;
        id.CopyTo(header, 4);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + id.Length), materialVersion);
        return header;
    }

    // Length-prefixed pairs in ordinal key order: the same context in any order gives the same bytes.
    private static byte[] Aad(ReadOnlySpan<byte> header, Dictionary<string, string> context)
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
