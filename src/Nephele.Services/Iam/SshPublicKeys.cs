using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

/// <summary>
/// SSH public keys as IAM takes them: OpenSSH "ssh-rsa AAAA..." or a PEM public key, RSA of at least 2048 bits.
/// Kept in OpenSSH form; GetSSHPublicKey also answers PEM.
/// </summary>
internal static class SshPublicKeys
{
    public static AwsException Invalid() => new("InvalidPublicKey", "The public key is not valid.", 400);

    public static AwsException Unrecognized() =>
        new("UnrecognizedPublicKeyEncoding", "The public key encoding format is unsupported or unrecognized.", 400);

    /// <summary>The key's OpenSSH form ("ssh-rsa BASE64") and the MD5 fingerprint of its blob (aa:bb:...).</summary>
    public static (string Body, string Fingerprint) Parse(string text)
    {
        text = text.Trim();
        byte[] blob;
        if (text.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            using var rsa = RSA.Create();
            try
            {
                rsa.ImportFromPem(text);
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                throw Invalid();
            }
            blob = Blob(rsa.ExportParameters(false));
        }
        else
        {
            var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || parts[0] != "ssh-rsa") throw Unrecognized();
            try
            {
                blob = Convert.FromBase64String(parts[1]);
            }
            catch (FormatException)
            {
                throw Invalid();
            }
            var parameters = Read(blob) ?? throw Invalid();
            if (parameters.Modulus!.SkipWhile(b => b == 0).Count() * 8 < 2048) throw Invalid();
        }
        var fingerprint = string.Join(':', MD5.HashData(blob).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        return ($"ssh-rsa {Convert.ToBase64String(blob)}", fingerprint);
    }

    /// <summary>The SubjectPublicKeyInfo PEM of a stored key.</summary>
    public static string Pem(string body)
    {
        using var rsa = RSA.Create();
        rsa.ImportParameters(Read(Convert.FromBase64String(body.Split(' ')[1]))!.Value);
        return rsa.ExportSubjectPublicKeyInfoPem() + "\n";
    }

    // The ssh-rsa wire format (RFC 4253): string "ssh-rsa", mpint e, mpint n.
    private static RSAParameters? Read(byte[] blob)
    {
        var fields = new List<byte[]>();
        var span = blob.AsSpan();
        while (span.Length >= 4 && fields.Count < 3)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(span);
            if (length < 0 || length > span.Length - 4) return null;
            fields.Add(span.Slice(4, length).ToArray());
            span = span[(4 + length)..];
        }
        if (fields.Count != 3 || Encoding.ASCII.GetString(fields[0]) != "ssh-rsa") return null;
        return new RSAParameters { Exponent = Trim(fields[1]), Modulus = Trim(fields[2]) };
    }

    private static byte[] Blob(RSAParameters key)
    {
        var stream = new MemoryStream();
        void Write(byte[] data)
        {
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
            stream.Write(length);
            stream.Write(data);
        }
        static byte[] Mpint(byte[] value) => value.Length > 0 && value[0] >= 0x80 ? [0, .. value] : value;
        Write("ssh-rsa"u8.ToArray());
        Write(Mpint(key.Exponent!));
        Write(Mpint(key.Modulus!));
        return stream.ToArray();
    }

    private static byte[] Trim(byte[] mpint) => mpint.SkipWhile(b => b == 0).ToArray();
}
