using System.Buffers.Binary;

namespace Nephele.Core.Protocols.EventStream;

/// <summary>
/// CRC-32 (IEEE 802.3, the zlib/gzip one) that event stream framing uses. System.IO.Hashing is not in
/// the shared framework and SSE4.2's crc32 instruction computes CRC-32C, a different polynomial.
/// Slicing-by-8 because S3 Select and Lambda streams push megabytes of payload through it.
/// </summary>
internal static class Crc32
{
    private const uint Polynomial = 0xEDB88320; // reversed 0x04C11DB7

    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues <paramref name="crc"/> (a finished CRC of earlier bytes) over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var table = Table.AsSpan();
        crc = ~crc;
        while (data.Length >= 8)
        {
            var one = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            var two = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = table[7 * 256 + (int)(one & 0xFF)] ^ table[6 * 256 + (int)((one >> 8) & 0xFF)]
                ^ table[5 * 256 + (int)((one >> 16) & 0xFF)] ^ table[4 * 256 + (int)(one >> 24)]
                ^ table[3 * 256 + (int)(two & 0xFF)] ^ table[2 * 256 + (int)((two >> 8) & 0xFF)]
                ^ table[256 + (int)((two >> 16) & 0xFF)] ^ table[(int)(two >> 24)];
            data = data[8..];
        }
        foreach (var b in data) crc = table[(int)((crc ^ b) & 0xFF)] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        // Table k advances a byte through k further zero bytes, so eight bytes fold in one step.
        for (var i = 0; i < 256; i++)
            for (var k = 1; k < 8; k++)
                table[k * 256 + i] = table[(int)(table[(k - 1) * 256 + i] & 0xFF)] ^ (table[(k - 1) * 256 + i] >> 8);
        return table;
    }
}
