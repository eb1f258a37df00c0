using Nephele.Core.Models;

namespace Nephele.Core.Protocols.EventStream;

/// <summary>
/// Renders an output event stream for any protocol: the handler's events (see <see cref="IWireProtocol"/>
/// for their representation) become an <see cref="OutgoingEventStream"/> that encodes them as they come.
/// </summary>
public static class EventStreamResponse
{
    /// <summary>The output member that is an event stream, or null when the operation streams no events.</summary>
    public static Member? StreamMember(Shape? output)
    {
        if (output is null) return null;
        foreach (var m in output.Members)
            if (m.Shape.IsEventStream) return m;
        return null;
    }

    /// <summary>
    /// Makes the response body the event stream held by <paramref name="member"/>'s <paramref name="value"/>,
    /// after <paramref name="initial"/> when the protocol sends one. An absent member is a stream without events.
    /// </summary>
    public static void Write(AwsResponse response, EventStreamMarshaller marshaller, Member member, object? value, EventStreamMessage? initial = null)
    {
        var events = value switch
        {
            null => AsyncEnumerable.Empty<Dictionary<string, object?>>(),
            IAsyncEnumerable<Dictionary<string, object?>> e => e,
            _ => throw new InvalidOperationException(
                $"Output member {member.Name} is an event stream and must be an IAsyncEnumerable<Dictionary<string, object?>>, but the handler gave a {value.GetType().Name}."),
        };
        response.Body = null;
        response.BodyStream = new OutgoingEventStream(marshaller, member.Shape, events, initial);
        // Even where a member is bound to Content-Type (Lambda's ResponseStreamContentType), the body is an event stream.
        response.ContentType = EventStreamWriter.ContentType;
    }
}
