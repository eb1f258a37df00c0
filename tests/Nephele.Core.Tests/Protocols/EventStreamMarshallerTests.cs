using System.Text;
using System.Text.Json;
using Nephele.Core.Models;
using Nephele.Core.Protocols;
using Nephele.Core.Protocols.Cbor;
using Nephele.Core.Protocols.EventStream;

namespace Nephele.Core.Tests.Protocols;

/// <summary>Modeled events become the messages SDKs expect, shaped by eventheader/eventpayload.</summary>
public sealed class EventStreamMarshallerTests
{
    private static readonly ServiceModel Model = ServiceModel.Load(
        JsonDocument.Parse("""{"protocol": "smithy-rpc-v2-cbor", "targetPrefix": "Streamer"}""").RootElement,
        JsonDocument.Parse("""
        {
          "Output": {"type": "structure", "members": {"RequestId": {"shape": "String"}, "Events": {"shape": "Stream"}}},
          "Stream": {"type": "structure", "eventstream": true, "union": true, "members": {
            "Records": {"shape": "RecordsEvent"}, "Stats": {"shape": "StatsEvent"}, "Note": {"shape": "NoteEvent"},
            "Progress": {"shape": "ProgressEvent"}, "End": {"shape": "EndEvent"}, "Throttled": {"shape": "ThrottledException"}}},
          "RecordsEvent": {"type": "structure", "event": true, "members": {"Payload": {"shape": "Blob", "eventpayload": true}}},
          "StatsEvent": {"type": "structure", "event": true, "members": {"Details": {"shape": "Stats", "eventpayload": true}}},
          "Stats": {"type": "structure", "members": {"BytesScanned": {"shape": "Long"}}},
          "NoteEvent": {"type": "structure", "event": true, "members": {"Text": {"shape": "String", "eventpayload": true}}},
          "ProgressEvent": {"type": "structure", "event": true, "members": {
            "Sequence": {"shape": "Integer", "eventheader": true}, "Final": {"shape": "Boolean", "eventheader": true},
            "At": {"shape": "Timestamp", "eventheader": true}, "Shard": {"shape": "String"}, "Count": {"shape": "Long"}}},
          "EndEvent": {"type": "structure", "event": true, "members": {}},
          "ThrottledException": {"type": "structure", "exception": true, "members": {"message": {"shape": "String"}}},
          "String": {"type": "string"}, "Blob": {"type": "blob"}, "Long": {"type": "long"}, "Integer": {"type": "integer"},
          "Boolean": {"type": "boolean"}, "Timestamp": {"type": "timestamp"}
        }
        """).RootElement,
        [JsonDocument.Parse("""{"name": "Stream", "output": {"shape": "Output"}}""").RootElement]);

    private static Shape Stream => Model.GetShape("Stream");
    private static readonly EventStreamMarshaller Marshaller = EventStreamMarshaller.Cbor;

    [Fact]
    public void A_blob_payload_is_sent_raw_as_an_octet_stream()
    {
        var message = Marshaller.Event(Stream, new Dictionary<string, object?> { ["Records"] = new Dictionary<string, object?> { ["Payload"] = "a,b\n"u8.ToArray() } });

        Assert.Equal("event", message.MessageType);
        Assert.Equal("Records", message.EventType);
        Assert.Equal("application/octet-stream", message.StringHeader(":content-type"));
        Assert.Equal("a,b\n"u8.ToArray(), message.Payload.ToArray());
    }

    [Fact]
    public void A_structure_payload_is_serialized_in_the_protocols_format()
    {
        var message = Marshaller.Event(Stream, "Stats", new() { ["Details"] = new Dictionary<string, object?> { ["BytesScanned"] = 1024L } });

        Assert.Equal("application/cbor", message.StringHeader(":content-type"));
        var details = CborValueReader.ReadStructure(Model.GetShape("Stats"), message.Payload);
        Assert.Equal(1024L, details["BytesScanned"]);
    }

    [Fact]
    public void A_string_payload_is_sent_as_plain_text()
    {
        var message = Marshaller.Event(Stream, "Note", new() { ["Text"] = "halfway" });

        Assert.Equal("text/plain", message.StringHeader(":content-type"));
        Assert.Equal("halfway", Encoding.UTF8.GetString(message.Payload.Span));
    }

    [Fact]
    public void Header_members_become_typed_headers_and_the_rest_the_payload()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var message = Marshaller.Event(Stream, "Progress", new()
        {
            ["Sequence"] = 7L,
            ["Final"] = true,
            ["At"] = at,
            ["Shard"] = "shard-1",
            ["Count"] = 3L,
        });

        Assert.Equal(7, message.Header("Sequence"));
        Assert.Equal(true, message.Header("Final"));
        Assert.Equal(at, message.Header("At"));
        var body = CborValueReader.ReadStructure(Model.GetShape("ProgressEvent"), message.Payload);
        Assert.Equal(["Count", "Shard"], body.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_event_without_members_still_carries_an_empty_document()
    {
        var message = Marshaller.Event(Stream, new Dictionary<string, object?> { ["End"] = new Dictionary<string, object?>() });

        Assert.Equal("End", message.EventType);
        Assert.Empty(CborValueReader.ReadStructure(Model.GetShape("EndEvent"), message.Payload));
    }

    [Fact]
    public void A_modeled_exception_is_sent_as_an_exception_message_with_its_fields()
    {
        var message = Marshaller.Exception(Stream, new AwsException("ThrottledException", "Slow down."));

        Assert.Equal("exception", message.MessageType);
        Assert.Equal("Throttled", message.StringHeader(":exception-type"));
        var fields = CborValueReader.ReadStructure(Model.GetShape("ThrottledException"), message.Payload);
        Assert.Equal("Slow down.", fields["message"]);
    }

    [Fact]
    public void An_unmodeled_error_is_sent_as_an_error_message_with_code_and_text()
    {
        var message = Marshaller.Exception(Stream, new AwsException("InternalFailure", "Something broke.", 500, false));

        Assert.Equal("error", message.MessageType);
        Assert.Equal("InternalFailure", message.StringHeader(":error-code"));
        Assert.Equal("Something broke.", message.StringHeader(":error-message"));
        Assert.True(message.Payload.IsEmpty);
    }

    [Fact]
    public void The_initial_response_carries_the_output_members_but_not_the_stream()
    {
        var output = new Dictionary<string, object?> { ["RequestId"] = "r-1", ["Events"] = new object() };

        var message = Marshaller.InitialResponse(Model.GetShape("Output"), output);

        Assert.Equal("initial-response", message.EventType);
        var body = CborValueReader.ReadStructure(Model.GetShape("Output"), message.Payload);
        Assert.Equal(["RequestId"], body.Keys);
    }

    [Fact]
    public void An_event_value_must_set_exactly_one_member()
    {
        Assert.Throws<ArgumentException>(() => Marshaller.Event(Stream, new Dictionary<string, object?>()));
        Assert.Throws<ArgumentException>(() => Marshaller.Event(Stream, new Dictionary<string, object?>
        {
            ["Note"] = new Dictionary<string, object?>(),
            ["End"] = new Dictionary<string, object?>(),
        }));
    }

    [Fact]
    public void A_marshalled_event_survives_framing_unchanged()
    {
        var message = Marshaller.Event(Stream, "Progress", new() { ["Sequence"] = 1L, ["At"] = DateTimeOffset.UnixEpoch, ["Shard"] = "s" });

        var decoded = EventStreamReader.Decode(EventStreamWriter.Encode(message));

        EventStreamFramingTests.AssertSameMessage(message, decoded);
    }
}
