using System.Security.Cryptography;
using System.Text;
using Nephele.Services.Kms;

namespace Nephele.Services.Tests.Kms;

/// <summary>The blob format: blobs written before key rotation existed (format 1) must keep decrypting.</summary>
public sealed class KmsCiphertextFormatTests
{
    private static readonly Dictionary<string, string> Context = new() { ["k"] = "v" };

    [Fact]
    public void Format_1_blob_opens_as_material_version_0()
    {
        var material = RandomNumberGenerator.GetBytes(32);
        var blob = SealFormat1("1234abcd-12ab-34cd-56ef-1234567890ab", material, "legacy"u8.ToArray(), Context);

        var header = Ciphertext.Read(blob);
        Assert.Equal("1234abcd-12ab-34cd-56ef-1234567890ab", header.KeyId);
        Assert.Equal(0, header.MaterialVersion);
        Assert.Equal("legacy"u8.ToArray(), Ciphertext.Open(blob, material, Context));
    }

    [Fact]
    public void Current_blob_names_its_material_version_and_authenticates_it()
    {
        var material = RandomNumberGenerator.GetBytes(32);
        var blob = Ciphertext.Seal("key", 3, material, "now"u8.ToArray(), Context);
        Assert.Equal(3, Ciphertext.Read(blob).MaterialVersion);
        Assert.Equal("now"u8.ToArray(), Ciphertext.Open(blob, material, Context));

        blob[4 + 3 + 3] ^= 1; // the version's last byte
        Assert.Throws<Nephele.Core.Protocols.AwsException>(() => Ciphertext.Open(blob, material, Context));
    }

    // Format 1 exactly as the first Nephele release wrote it.
    private static byte[] SealFormat1(string keyId, byte[] material, byte[] plaintext, Dictionary<string, string> context)
    {
        var id = Encoding.UTF8.GetBytes(keyId);
        byte[] header = [(byte)'N', (byte)'K', 1, (byte)id.Length, .. id];
        var blob = new byte[header.Length + 12 + 16 + plaintext.Length];
        header.CopyTo(blob, 0);
        RandomNumberGenerator.Fill(blob.AsSpan(header.Length, 12));
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
        using var aes = new AesGcm(material, 16);
        aes.Encrypt(blob.AsSpan(header.Length, 12), plaintext, blob.AsSpan(header.Length + 28), blob.AsSpan(header.Length + 12, 16), aad.ToArray());
        return blob;
    }
}
