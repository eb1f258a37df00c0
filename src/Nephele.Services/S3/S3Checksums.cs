using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace Nephele.Services.S3;

/// <summary>
/// S3's additional checksums: CRC32, CRC32C, CRC64NVME, SHA1, SHA256, each sent and returned as the base64 of the
/// big-endian digest.
/// </summary>
internal static class S3Checksums
{
    public static readonly string[] Algorithms = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"];

    /// <summary>The algorithm as AWS spells it, or null when S3 does not know it.</summary>
    public static string? Normalize(string? algorithm) =>
        algorithm is null ? null : Array.Find(Algorithms, a => a.Equals(algorithm, StringComparison.OrdinalIgnoreCase));

    /// <summary>The output/input member carrying an algorithm's value ("ChecksumCRC32").</summary>
    public static string MemberOf(string algorithm) => "Checksum" + algorithm;

    /// <summary>The header carrying an algorithm's value ("x-amz-checksum-crc32").</summary>
    public static string HeaderOf(string algorithm) => "x-amz-checksum-" + algorithm.ToLowerInvariant();

    public static IChecksum Create(string algorithm) => algorithm switch
    {
        "CRC32" => new Crc32Checksum(new Crc32()),
        "CRC32C" => new Crc32Checksum(new Crc32(Crc32ParameterSet.Crc32C)),
        "CRC64NVME" => new Crc64Checksum(new Crc64(Crc64ParameterSet.Nvme)),
        "SHA1" => new HashChecksum(IncrementalHash.CreateHash(HashAlgorithmName.SHA1)),
        "SHA256" => new HashChecksum(IncrementalHash.CreateHash(HashAlgorithmName.SHA256)),
        _ => throw new ArgumentException($"Unknown checksum algorithm {algorithm}", nameof(algorithm)),
    };

    /// <summary>The digest size in bytes, to validate a value a client sent.</summary>
    public static int SizeOf(string algorithm) => algorithm switch
    {
        "CRC32" or "CRC32C" => 4,
        "CRC64NVME" => 8,
        "SHA1" => 20,
        _ => 32,
    };

    /// <summary>A checksum of checksums, as S3 computes for a multipart upload with a COMPOSITE checksum.</summary>
    public static string Composite(string algorithm, IEnumerable<string> partValues)
    {
        var c = Create(algorithm);
        foreach (var v in partValues) c.Append(Convert.FromBase64String(v));
        return c.Base64();
    }

    public interface IChecksum
    {
        void Append(ReadOnlySpan<byte> data);
        string Base64();
    }

    private sealed class Crc32Checksum(Crc32 crc) : IChecksum
    {
        public void Append(ReadOnlySpan<byte> data) => crc.Append(data);

        public string Base64()
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, crc.GetCurrentHashAsUInt32());
            return Convert.ToBase64String(bytes);
        }
    }

    private sealed class Crc64Checksum(Crc64 crc) : IChecksum
    {
        public void Append(ReadOnlySpan<byte> data) => crc.Append(data);

        public string Base64()
        {
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, crc.GetCurrentHashAsUInt64());
            return Convert.ToBase64String(bytes);
        }
    }

    private sealed class HashChecksum(IncrementalHash hash) : IChecksum
    {
        public void Append(ReadOnlySpan<byte> data) => hash.AppendData(data);

        public string Base64() => Convert.ToBase64String(hash.GetCurrentHash());
    }
}
