using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Nephele.Services.Sqs;

/// <summary>The digests SQS returns and SDKs verify: MD5 of the body, and AWS's length-prefixed encoding of attributes.</summary>
internal static class SqsMd5
{
    public static string OfBody(string body) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));

    /// <summary>
    /// Attributes sorted by name; each as name, data type, a transport byte (1 string, 2 binary) and the value,
    /// every string and value prefixed by its 4-byte big-endian length — exactly what the SDKs recompute.
    /// </summary>
    public static string? OfAttributes(IReadOnlyCollection<MessageAttribute> attributes)
    {
        if (attributes.Count == 0) return null;
        using var buffer = new MemoryStream();
        foreach (var a in attributes.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            Write(buffer, Encoding.UTF8.GetBytes(a.Name));
            Write(buffer, Encoding.UTF8.GetBytes(a.DataType));
            if (a.IsBinary)
            {
                buffer.WriteByte(2);
                Write(buffer, a.BinaryValue ?? []);
            }
            else
            {
                buffer.WriteByte(1);
                Write(buffer, Encoding.UTF8.GetBytes(a.StringValue ?? ""));
            }
        }
        return Convert.ToHexStringLower(MD5.HashData(buffer.ToArray()));
    }

    private static void Write(MemoryStream buffer, byte[] value)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, value.Length);
        buffer.Write(length);
        buffer.Write(value);
    }
}
