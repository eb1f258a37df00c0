using System.Buffers.Binary;
using System.Text;

namespace Nephele.Core.Protocols.EventStream;

/// <summary>
/// Frames messages as <c>application/vnd.amazon.eventstream</c>:
/// total length (4) | headers length (4) | prelude CRC (4) | headers | payload | message CRC (4),
/// big-endian, CRC-32 over the prelude and then over everything before the message CRC.
/// </summary>
public static class EventStreamWriter
{
    public const string ContentType = "application/vnd.amazon.eventstream";
    /// <summary>Limits every AWS decoder enforces (aws-c-event-stream).</summary>
    public const int MaxMessageLength = 16 * 1024 * 1024;
    public const int MaxHeadersLength = 128 * 1024;
    internal const int PreludeLength = 12;
    internal const int OverheadLength = PreludeLength + 4;

    public static byte[] Encode(EventStreamMessage message)
    {
        var headersLength = 0;
        foreach (var header in message.Headers) headersLength += HeaderLength(header);
        if (headersLength > MaxHeadersLength)
            throw new ArgumentException($"Event stream headers take {headersLength} bytes; at most {MaxHeadersLength} are allowed.", nameof(message));
        var totalLength = OverheadLength + headersLength + message.Payload.Length;
        if (totalLength > MaxMessageLength)
            throw new ArgumentException($"An event stream message of {totalLength} bytes exceeds the {MaxMessageLength}-byte limit.", nameof(message));

        var buffer = new byte[totalLength];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)totalLength);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], (uint)headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], Crc32.Compute(span[..8]));
        var offset = PreludeLength;
        foreach (var header in message.Headers) offset += WriteHeader(span[offset..], header);
        message.Payload.Span.CopyTo(span[offset..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[^4..], Crc32.Compute(span[..^4]));
        return buffer;
    }

    /// <summary>Writes one message and flushes, so that each event reaches the client as it happens.</summary>
    public static async ValueTask WriteAsync(Stream destination, EventStreamMessage message, CancellationToken ct = default)
    {
        await destination.WriteAsync(Encode(message), ct).ConfigureAwait(false);
        await destination.FlushAsync(ct).ConfigureAwait(false);
    }

    private static int HeaderLength(EventStreamHeader header)
    {
        var nameLength = Encoding.UTF8.GetByteCount(header.Name);
        if (nameLength is 0 or > byte.MaxValue)
            throw new ArgumentException($"Event stream header names must be 1 to {byte.MaxValue} bytes: '{header.Name}'.");
        return 1 + nameLength + 1 + header.Type switch
        {
            EventStreamHeaderType.BoolTrue or EventStreamHeaderType.BoolFalse => 0,
            EventStreamHeaderType.Byte => 1,
            EventStreamHeaderType.Short => 2,
            EventStreamHeaderType.Integer => 4,
            EventStreamHeaderType.Long or EventStreamHeaderType.Timestamp => 8,
            EventStreamHeaderType.ByteArray => 2 + CheckedValueLength(header, ((byte[])header.Value).Length),
            EventStreamHeaderType.String => 2 + CheckedValueLength(header, Encoding.UTF8.GetByteCount((string)header.Value)),
            EventStreamHeaderType.Uuid => 16,
            _ => throw new ArgumentException($"Unknown header type for {header.Name}."),
        };
    }

    private static int CheckedValueLength(EventStreamHeader header, int length) => length <= ushort.MaxValue
        ? length : throw new ArgumentException($"Event stream header {header.Name} holds {length} bytes; at most {ushort.MaxValue} are allowed.");

    private static int WriteHeader(Span<byte> span, EventStreamHeader header)
    {
        var nameLength = Encoding.UTF8.GetBytes(header.Name, span[1..]);
        span[0] = (byte)nameLength;
        var type = header.Type;
        span[1 + nameLength] = (byte)type;
        var value = span[(2 + nameLength)..];
        var valueLength = 0;
        switch (type)
        {
            case EventStreamHeaderType.Byte:
                value[0] = (byte)(sbyte)header.Value;
                valueLength = 1;
                break;
            case EventStreamHeaderType.Short:
                BinaryPrimitives.WriteInt16BigEndian(value, (short)header.Value);
                valueLength = 2;
                break;
            case EventStreamHeaderType.Integer:
                BinaryPrimitives.WriteInt32BigEndian(value, (int)header.Value);
                valueLength = 4;
                break;
            case EventStreamHeaderType.Long:
                BinaryPrimitives.WriteInt64BigEndian(value, (long)header.Value);
                valueLength = 8;
                break;
            case EventStreamHeaderType.Timestamp:
                BinaryPrimitives.WriteInt64BigEndian(value, ((DateTimeOffset)header.Value).ToUnixTimeMilliseconds());
                valueLength = 8;
                break;
            case EventStreamHeaderType.ByteArray:
                var bytes = (byte[])header.Value;
                BinaryPrimitives.WriteUInt16BigEndian(value, (ushort)bytes.Length);
                bytes.CopyTo(value[2..]);
                valueLength = 2 + bytes.Length;
                break;
            case EventStreamHeaderType.String:
                var written = Encoding.UTF8.GetBytes((string)header.Value, value[2..]);
                BinaryPrimitives.WriteUInt16BigEndian(value, (ushort)written);
                valueLength = 2 + written;
                break;
            case EventStreamHeaderType.Uuid:
                // The 16 bytes in RFC 4122 (big-endian) order, as Java's and the CRT's UUIDs are laid out.
                ((Guid)header.Value).TryWriteBytes(value, bigEndian: true, out _);
                valueLength = 16;
                break;
        }
        return 2 + nameLength + valueLength;
    }
}
