using System.Globalization;
using System.Text;
using Nephele.Core.Models;
using Nephele.Core.Protocols.Cbor;
using Nephele.Core.Protocols.Json;
using Nephele.Core.Protocols.Xml;

namespace Nephele.Core.Protocols.EventStream;

/// <summary>Serializes a structure as the protocol's document (JSON, XML, CBOR) for an event payload.</summary>
public delegate byte[] EventPayloadSerializer(Shape shape, Dictionary<string, object?> value);

/// <summary>
/// Turns modeled events into event stream messages the way SDKs read them: an event is a member of an
/// event stream union; its <c>eventheader</c> members become typed headers, its <c>eventpayload</c>
/// member (blob, string or structure) or else all its other members become the payload. Modeled
/// exceptions of the union become <c>:message-type exception</c>, anything else <c>error</c>.
/// </summary>
public sealed class EventStreamMarshaller(string contentType, EventPayloadSerializer serializer)
{
    /// <summary>Events of smithy-rpc-v2-cbor services.</summary>
    public static EventStreamMarshaller Cbor { get; } = new(CborProtocol.ContentType, CborValueWriter.Write);

    /// <summary>
    /// Events of json and rest-json services. Both label event documents plain application/json, not the
    /// awsJson media type of their HTTP bodies (smithy's event stream protocol tests).
    /// </summary>
    public static EventStreamMarshaller Json { get; } = new("application/json", static (shape, value) => JsonValueWriter.WriteStructure(shape, value));

    /// <summary>Events of rest-xml services: text/xml, as S3 Select labels its Stats and Progress events.</summary>
    public static EventStreamMarshaller Xml { get; } = new("text/xml", XmlEventPayload.Write);

    /// <summary>The <c>:content-type</c> of structure payloads.</summary>
    public string ContentType { get; } = contentType;

    /// <summary>An event given as the union value: a dictionary with one member of <paramref name="eventStream"/> set.</summary>
    public EventStreamMessage Event(Shape eventStream, Dictionary<string, object?> union)
    {
        KeyValuePair<string, object?>? set = null;
        foreach (var kv in union)
        {
            if (kv.Value is null) continue;
            if (set is not null) throw new ArgumentException($"An event of {eventStream.Name} sets both {set.Value.Key} and {kv.Key}.", nameof(union));
            set = kv;
        }
        if (set is not { } only) throw new ArgumentException($"An event of {eventStream.Name} must set one member.", nameof(union));
        return Event(eventStream, only.Key, Structure(only.Value, only.Key));
    }

    /// <summary>The event <paramref name="eventType"/> (a member name of <paramref name="eventStream"/>) with its value.</summary>
    public EventStreamMessage Event(Shape eventStream, string eventType, Dictionary<string, object?> value)
    {
        var member = eventStream.FindMember(eventType)
            ?? throw new ArgumentException($"{eventStream.Name} has no event {eventType}.", nameof(eventType));
        if (member.Shape.IsException) return Exception(member, value, null);

        var headers = new List<EventStreamHeader> { new(":event-type", member.Name), new(":message-type", "event") };
        var payload = Payload(member.Shape, value, headers);
        return new EventStreamMessage(headers, payload);
    }

    /// <summary>
    /// The first message of an RPC protocol's event stream response: the output members other than the
    /// stream itself (rest protocols send those as HTTP headers instead).
    /// </summary>
    public EventStreamMessage InitialResponse(Shape output, Dictionary<string, object?> value)
    {
        var members = value.Where(kv => output.FindMember(kv.Key) is { Shape.IsEventStream: false }).ToDictionary(kv => kv.Key, kv => kv.Value);
        return new EventStreamMessage(
            [new(":event-type", "initial-response"), new(":message-type", "event"), new(":content-type", ContentType)],
            serializer(output, members));
    }

    /// <summary>
    /// An error ending the stream: a modeled exception of <paramref name="eventStream"/> when the code names
    /// one (its shape name, error code or member name), else an unmodeled error message.
    /// </summary>
    public EventStreamMessage Exception(Shape eventStream, AwsException error)
    {
        foreach (var member in eventStream.Members)
            if (member.Shape.IsException && (member.Shape.Name == error.Code || member.Shape.ErrorCode == error.Code || member.Name == error.Code))
                return Exception(member, new Dictionary<string, object?>(error.Fields), error.Message);
        return Error(error.Code, error.Message);
    }

    /// <summary>An unmodeled error: <c>:message-type error</c> with <c>:error-code</c> and <c>:error-message</c>.</summary>
    public static EventStreamMessage Error(string code, string message) => new(
        [new(":message-type", "error"), new(":error-code", code), new(":error-message", message)],
        ReadOnlyMemory<byte>.Empty);

    private EventStreamMessage Exception(Member member, Dictionary<string, object?> fields, string? message)
    {
        var messageMember = member.Shape.Members.FirstOrDefault(m => string.Equals(m.Name, "message", StringComparison.OrdinalIgnoreCase));
        if (messageMember is not null && !string.IsNullOrEmpty(message) && fields.GetValueOrDefault(messageMember.Name) is null)
            fields[messageMember.Name] = message;
        return new EventStreamMessage(
            [new(":exception-type", member.Name), new(":message-type", "exception"), new(":content-type", ContentType)],
            serializer(member.Shape, fields));
    }

    private ReadOnlyMemory<byte> Payload(Shape shape, Dictionary<string, object?> value, List<EventStreamHeader> headers)
    {
        Member? payloadMember = null;
        var body = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var member in shape.Members)
        {
            if (member.EventPayload) payloadMember = member;
            var v = value.GetValueOrDefault(member.Name);
            if (v is null) continue;
            if (member.EventHeader) headers.Add(new EventStreamHeader(member.Name, HeaderValue(member, v)));
            else body[member.Name] = v;
        }
        if (payloadMember is null) return Document(shape, body, headers);
        var payload = value.GetValueOrDefault(payloadMember.Name);
        if (payload is null) return ReadOnlyMemory<byte>.Empty;
        switch (payloadMember.Shape.Type)
        {
            case ShapeType.Blob:
                headers.Add(new(":content-type", "application/octet-stream"));
                return Bytes(payload, payloadMember);
            case ShapeType.String:
                headers.Add(new(":content-type", "text/plain"));
                return Encoding.UTF8.GetBytes(payload as string ?? Convert.ToString(payload, CultureInfo.InvariantCulture) ?? "");
            default:
                return Document(payloadMember.Shape, Structure(payload, payloadMember.Name), headers);
        }
    }

    /// <summary>
    /// A structure in the protocol's format. A serializer may answer nothing for a structure without values
    /// (XML does, as S3 sends its End event); such a message has no payload and so no <c>:content-type</c>.
    /// </summary>
    private ReadOnlyMemory<byte> Document(Shape shape, Dictionary<string, object?> value, List<EventStreamHeader> headers)
    {
        var bytes = serializer(shape, value);
        if (bytes.Length > 0) headers.Add(new(":content-type", ContentType));
        return bytes;
    }

    private static object HeaderValue(Member member, object value) => member.Shape.Type switch
    {
        ShapeType.Boolean => (bool)value,
        ShapeType.Byte => checked((sbyte)Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        ShapeType.Short => checked((short)Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        ShapeType.Integer => checked((int)Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        ShapeType.Long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        ShapeType.Blob => Bytes(value, member).ToArray(),
        ShapeType.String => value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        ShapeType.Timestamp => value is DateTime d ? new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)) : (DateTimeOffset)value,
        _ => throw new InvalidOperationException($"Event header {member.Name} has type {member.Shape.Type}, which headers cannot carry."),
    };

    private static ReadOnlyMemory<byte> Bytes(object value, Member member) => value switch
    {
        byte[] b => b,
        ReadOnlyMemory<byte> m => m,
        string s => Encoding.UTF8.GetBytes(s),
        _ => throw new InvalidOperationException($"A {value.GetType().Name} cannot be the blob {member.Name}."),
    };

    private static Dictionary<string, object?> Structure(object? value, string name)
        => value as Dictionary<string, object?> ?? throw new ArgumentException($"Event member {name} must be a structure value.");
}
