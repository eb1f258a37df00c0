using System.Buffers;
using System.Text;
using System.Text.Json;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDbStreams;

/// <summary>A stored stream record as GetRecords returns it, and as a Lambda event record (JSON).</summary>
internal static class StreamRecordWire
{
    public const string EventVersion = "1.1";
    public const string EventSource = "aws:dynamodb";
    public const string TimeToLivePrincipal = "dynamodb.amazonaws.com";

    public static DateTimeOffset CreationTime(StreamRecordRow row) =>
        DateTimeOffset.FromUnixTimeSeconds(row.CreatedMillis / 1000);

    /// <summary>The Record shape of GetRecords (model-driven values).</summary>
    public static Dictionary<string, object?> Record(StreamRecordRow row, string sequenceNumber, string viewType, string region)
    {
        var dynamodb = new Dictionary<string, object?>
        {
            ["ApproximateCreationDateTime"] = CreationTime(row),
            ["Keys"] = AttributeValueWire.WriteItem(ItemCodec.Decode(row.Keys)),
        };
        if (row.NewImage is { Length: > 0 }) dynamodb["NewImage"] = AttributeValueWire.WriteItem(ItemCodec.Decode(row.NewImage));
        if (row.OldImage is { Length: > 0 }) dynamodb["OldImage"] = AttributeValueWire.WriteItem(ItemCodec.Decode(row.OldImage));
        dynamodb["SequenceNumber"] = sequenceNumber;
        dynamodb["SizeBytes"] = row.SizeBytes;
        dynamodb["StreamViewType"] = viewType;
        var record = new Dictionary<string, object?>
        {
            ["eventID"] = row.EventId,
            ["eventName"] = row.EventName,
            ["eventVersion"] = EventVersion,
            ["eventSource"] = EventSource,
            ["awsRegion"] = region,
            ["dynamodb"] = dynamodb,
        };
        if (row.ByTimeToLive)
            record["userIdentity"] = new Dictionary<string, object?> { ["PrincipalId"] = TimeToLivePrincipal, ["Type"] = "Service" };
        return record;
    }

    /// <summary>The record as Lambda receives it from an event source mapping on the stream.</summary>
    public static string LambdaJson(StreamRecordRow row, string sequenceNumber, string viewType, string region, string streamArn)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("eventID", row.EventId);
            w.WriteString("eventName", row.EventName);
            w.WriteString("eventVersion", EventVersion);
            w.WriteString("eventSource", EventSource);
            w.WriteString("awsRegion", region);
            w.WriteStartObject("dynamodb");
            w.WriteNumber("ApproximateCreationDateTime", CreationTime(row).ToUnixTimeSeconds());
            WriteItem(w, "Keys", ItemCodec.Decode(row.Keys));
            if (row.NewImage is { Length: > 0 }) WriteItem(w, "NewImage", ItemCodec.Decode(row.NewImage));
            if (row.OldImage is { Length: > 0 }) WriteItem(w, "OldImage", ItemCodec.Decode(row.OldImage));
            w.WriteString("SequenceNumber", sequenceNumber);
            w.WriteNumber("SizeBytes", row.SizeBytes);
            w.WriteString("StreamViewType", viewType);
            w.WriteEndObject();
            if (row.ByTimeToLive)
            {
                w.WriteStartObject("userIdentity");
                w.WriteString("type", "Service");
                w.WriteString("principalId", TimeToLivePrincipal);
                w.WriteEndObject();
            }
            w.WriteString("eventSourceARN", streamArn);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteItem(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, AttributeValue> item)
    {
        w.WritePropertyName(name);
        WriteMap(w, item);
    }

    /// <summary>An item in DynamoDB JSON (<c>{"name": {"S": "..."}}</c>), as streams and table exports write it.</summary>
    internal static void WriteMap(Utf8JsonWriter w, IReadOnlyDictionary<string, AttributeValue> map)
    {
        w.WriteStartObject();
        foreach (var (name, value) in map)
        {
            w.WritePropertyName(name);
            Write(w, value);
        }
        w.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter w, AttributeValue v)
    {
        w.WriteStartObject();
        w.WritePropertyName(v.Type.ToString());
        switch (v.Type)
        {
            case AttributeType.S: w.WriteStringValue(v.S); break;
            case AttributeType.N: w.WriteStringValue(v.N.ToString()); break;
            case AttributeType.B: w.WriteBase64StringValue(v.B); break;
            case AttributeType.BOOL: w.WriteBooleanValue(v.Bool); break;
            case AttributeType.NULL: w.WriteBooleanValue(true); break;
            case AttributeType.M: WriteMap(w, v.M!); break;
            case AttributeType.L:
                w.WriteStartArray();
                foreach (var e in v.L!) Write(w, e);
                w.WriteEndArray();
                break;
            case AttributeType.SS:
                w.WriteStartArray();
                foreach (var s in v.SS!) w.WriteStringValue(s);
                w.WriteEndArray();
                break;
            case AttributeType.NS:
                w.WriteStartArray();
                foreach (var n in v.NS!) w.WriteStringValue(n.ToString());
                w.WriteEndArray();
                break;
            default:
                w.WriteStartArray();
                foreach (var b in v.BS!) w.WriteBase64StringValue(b);
                w.WriteEndArray();
                break;
        }
        w.WriteEndObject();
    }
}
