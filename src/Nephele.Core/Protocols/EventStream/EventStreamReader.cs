using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Nephele.Core.Protocols.EventStream;

/// <summary>
/// Reads <c>application/vnd.amazon.eventstream</c> messages (the framing of <see cref="EventStreamWriter"/>),
/// checking both CRCs, the length limits and every header. A broken message is a SerializationException (400):
/// what a client streams to Nephele is input like any request body.
/// </summary>
public sealed class EventStreamReader(Stream source)
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private readonly byte[] _prelude = new byte[EventStreamWriter.PreludeLength];

    /// <summary>The next message, or null when the stream ends cleanly between messages.</summary>
    public async ValueTask<EventStreamMessage?> ReadAsync(CancellationToken ct = default)
    {
        var read = await source.ReadAtLeastAsync(_prelude, _prelude.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        if (read == 0) return null;
        if (read < _prelude.Length) throw Malformed("The event stream ends inside a message prelude.");
        var (totalLength, _) = ReadPrelude(_prelude);
        var message = new byte[totalLength];
        _prelude.CopyTo(message, 0);
        var rest = message.AsMemory(_prelude.Length);
        read = await source.ReadAtLeastAsync(rest, rest.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        if (read < rest.Length) throw Malformed($"The event stream ends inside a message of {totalLength} bytes.");
        return Decode(message);
    }

    /// <summary>Decodes exactly one whole message.</summary>
    public static EventStreamMessage Decode(ReadOnlySpan<byte> data)
    {
        if (!TryDecode(data, out var message, out var consumed))
            throw Malformed("The data holds less than one whole event stream message.");
        if (consumed != data.Length) throw Malformed("Unexpected data after the event stream message.");
        return message;
    }

    /// <summary>
    /// Decodes the first message of <paramref name="buffer"/>; false when the buffer does not hold a whole
    /// message yet. For callers that receive the stream in chunks.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> buffer, [NotNullWhen(true)] out EventStreamMessage? message, out int consumed)
    {
        message = null;
        consumed = 0;
        if (buffer.Length < EventStreamWriter.PreludeLength) return false;
        var (totalLength, headersLength) = ReadPrelude(buffer);
        if (buffer.Length < totalLength) return false;
        var data = buffer[..totalLength];
        var expected = BinaryPrimitives.ReadUInt32BigEndian(data[^4..]);
        if (Crc32.Compute(data[..^4]) != expected) throw Malformed("Event stream message checksum mismatch.");

        var headerBytes = data.Slice(EventStreamWriter.PreludeLength, headersLength);
        var payload = data[(EventStreamWriter.PreludeLength + headersLength)..^4];
        message = new EventStreamMessage(ReadHeaders(headerBytes), payload.ToArray());
        consumed = totalLength;
        return true;
    }

    private static (int TotalLength, int HeadersLength) ReadPrelude(ReadOnlySpan<byte> prelude)
    {
        var total = BinaryPrimitives.ReadUInt32BigEndian(prelude);
        var headers = BinaryPrimitives.ReadUInt32BigEndian(prelude[4..]);
        if (Crc32.Compute(prelude[..8]) != BinaryPrimitives.ReadUInt32BigEndian(prelude[8..]))
            throw Malformed("Event stream prelude checksum mismatch.");
        if (total < EventStreamWriter.OverheadLength || total > EventStreamWriter.MaxMessageLength)
            throw Malformed($"Event stream message length {total} is outside {EventStreamWriter.OverheadLength}..{EventStreamWriter.MaxMessageLength}.");
        if (headers > EventStreamWriter.MaxHeadersLength || headers > total - EventStreamWriter.OverheadLength)
            throw Malformed($"Event stream headers length {headers} does not fit a message of {total} bytes.");
        return ((int)total, (int)headers);
    }

    private static List<EventStreamHeader> ReadHeaders(ReadOnlySpan<byte> data)
    {
        var headers = new List<EventStreamHeader>();
        while (!data.IsEmpty)
        {
            int nameLength = data[0];
            if (nameLength == 0 || data.Length < 2 + nameLength) throw Malformed("Truncated or empty event stream header name.");
            var name = Utf8(data.Slice(1, nameLength));
            var type = (EventStreamHeaderType)data[1 + nameLength];
            data = data[(2 + nameLength)..];
            var (value, length) = ReadValue(type, data, name);
            foreach (var h in headers)
                if (h.Name == name) throw Malformed($"Event stream header {name} appears twice.");
            headers.Add(new EventStreamHeader(name, value));
            data = data[length..];
        }
        return headers;
    }

    private static (object Value, int Length) ReadValue(EventStreamHeaderType type, ReadOnlySpan<byte> data, string name)
    {
        var fixedLength = type switch
        {
            EventStreamHeaderType.BoolTrue or EventStreamHeaderType.BoolFalse => 0,
            EventStreamHeaderType.Byte => 1,
            EventStreamHeaderType.Short => 2,
            EventStreamHeaderType.Integer => 4,
            EventStreamHeaderType.Long or EventStreamHeaderType.Timestamp => 8,
            EventStreamHeaderType.ByteArray or EventStreamHeaderType.String => 2,
            EventStreamHeaderType.Uuid => 16,
            _ => throw Malformed($"Event stream header {name} has unknown type {(byte)type}."),
        };
        if (data.Length < fixedLength) throw Malformed($"Event stream header {name} is truncated.");
        switch (type)
        {
            case EventStreamHeaderType.BoolTrue: return (true, 0);
            case EventStreamHeaderType.BoolFalse: return (false, 0);
            case EventStreamHeaderType.Byte: return ((sbyte)data[0], 1);
            case EventStreamHeaderType.Short: return (BinaryPrimitives.ReadInt16BigEndian(data), 2);
            case EventStreamHeaderType.Integer: return (BinaryPrimitives.ReadInt32BigEndian(data), 4);
            case EventStreamHeaderType.Long: return (BinaryPrimitives.ReadInt64BigEndian(data), 8);
            case EventStreamHeaderType.Timestamp:
                var millis = BinaryPrimitives.ReadInt64BigEndian(data);
                if (millis < -62135596800000 || millis > 253402300799999) throw Malformed($"Event stream header {name} is not a valid timestamp.");
                return (DateTimeOffset.FromUnixTimeMilliseconds(millis), 8);
            case EventStreamHeaderType.Uuid: return (new Guid(data[..16], bigEndian: true), 16);
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(data);
        if (data.Length < 2 + length) throw Malformed($"Event stream header {name} is truncated.");
        var bytes = data.Slice(2, length);
        return type == EventStreamHeaderType.String ? (Utf8(bytes), 2 + length) : (bytes.ToArray(), 2 + length);
    }

    private static string Utf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed("An event stream header is not valid UTF-8.");
        }
    }

    private static AwsException Malformed(string message) => new("SerializationException", message, 400);
}
