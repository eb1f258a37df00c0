using System.Security.Cryptography;
using System.Text;

namespace Nephele.Core.State;

/// <summary>Validation shared by the blob stores.</summary>
internal static class BlobIds
{
    /// <summary>Service names become directory names, so they are held to what Nephele itself uses.</summary>
    public static void ValidateService(string service)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        foreach (var c in service)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || service is "." or "..")
                throw new ArgumentException($"'{service}' is not a valid service name for blobs.", nameof(service));
    }

    /// <summary>SHA-256 of the id's UTF-8 bytes in lower-case hex: a file name that no id can steer outside its directory.</summary>
    public static string Hash(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), hash);
        return Convert.ToHexStringLower(hash);
    }
}
