namespace Nephele.Core.Protocols.EventStream;

/// <summary>The wire type codes of event stream header values.</summary>
public enum EventStreamHeaderType : byte
{
    BoolTrue = 0,
    BoolFalse = 1,
    Byte = 2,
    Short = 3,
    Integer = 4,
    Long = 5,
    ByteArray = 6,
    String = 7,
    Timestamp = 8,
    Uuid = 9,
}

/// <summary>
/// One header of an event stream message. The CLR type of <see cref="Value"/> picks the wire type:
/// bool, sbyte (byte), short, int, long, byte[], string, DateTimeOffset (millisecond timestamp), Guid (uuid).
/// </summary>
public readonly record struct EventStreamHeader(string Name, object Value)
{
    public EventStreamHeaderType Type => Value switch
    {
        true => EventStreamHeaderType.BoolTrue,
        false => EventStreamHeaderType.BoolFalse,
        sbyte => EventStreamHeaderType.Byte,
        short => EventStreamHeaderType.Short,
        int => EventStreamHeaderType.Integer,
        long => EventStreamHeaderType.Long,
        byte[] => EventStreamHeaderType.ByteArray,
        string => EventStreamHeaderType.String,
        DateTimeOffset => EventStreamHeaderType.Timestamp,
        Guid => EventStreamHeaderType.Uuid,
        _ => throw new ArgumentException($"Event stream header {Name} cannot hold a {Value?.GetType().Name ?? "null"}."),
    };
}

/// <summary>One message of an <c>application/vnd.amazon.eventstream</c> body: headers and an opaque payload.</summary>
public sealed class EventStreamMessage(IReadOnlyList<EventStreamHeader> headers, ReadOnlyMemory<byte> payload)
{
    public IReadOnlyList<EventStreamHeader> Headers { get; } = headers;
    public ReadOnlyMemory<byte> Payload { get; } = payload;

    /// <summary>The value of the first header named <paramref name="name"/> (names are case-sensitive).</summary>
    public object? Header(string name)
    {
        foreach (var h in Headers)
            if (h.Name == name) return h.Value;
        return null;
    }

    public string? StringHeader(string name) => Header(name) as string;

    /// <summary><c>:message-type</c>: event, exception or error.</summary>
    public string? MessageType => StringHeader(":message-type");

    /// <summary><c>:event-type</c>: the member of the event stream union this event is.</summary>
    public string? EventType => StringHeader(":event-type");

    public override string ToString() => $"{MessageType ?? "message"} {EventType ?? StringHeader(":exception-type") ?? StringHeader(":error-code")} ({Payload.Length} bytes)";
}
