using System.Formats.Cbor;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nephele.Core.Protocols.Cbor;

/// <summary>
/// Document shapes have no schema, so they travel as plain CBOR and are held as JsonNode like in every
/// other protocol. Byte strings become base64 text and tags are dropped, as JSON cannot say either.
/// </summary>
internal static class CborDocuments
{
    public static JsonNode? Read(CborReader reader, int depth)
    {
        if (depth > CborValueReader.MaxDepth) throw CborValueReader.Malformed($"CBOR nesting is deeper than {CborValueReader.MaxDepth} levels.");
        switch (reader.PeekState())
        {
            case CborReaderState.StartMap:
                var obj = new JsonObject();
                var count = reader.ReadStartMap();
                for (var i = 0; count is null ? reader.PeekState() != CborReaderState.EndMap : i < count; i++)
                {
                    var keyState = reader.PeekState();
                    if (keyState is not (CborReaderState.TextString or CborReaderState.StartIndefiniteLengthTextString))
                        throw CborValueReader.Malformed($"Document keys must be text strings, found {CborValueReader.Describe(keyState)}.");
                    var key = reader.ReadTextString();
                    obj[key] = Read(reader, depth + 1);
                }
                reader.ReadEndMap();
                return obj;
            case CborReaderState.StartArray:
                var array = new JsonArray();
                var length = reader.ReadStartArray();
                for (var i = 0; length is null ? reader.PeekState() != CborReaderState.EndArray : i < length; i++)
                    array.Add(Read(reader, depth + 1));
                reader.ReadEndArray();
                return array;
            case CborReaderState.UnsignedInteger:
                var u = reader.ReadUInt64();
                return u <= long.MaxValue ? JsonValue.Create((long)u) : JsonValue.Create(u);
            case CborReaderState.NegativeInteger:
                var n = reader.ReadCborNegativeIntegerRepresentation();
                return n <= long.MaxValue ? JsonValue.Create(-1 - (long)n) : JsonValue.Create(-1m - n);
            case CborReaderState.HalfPrecisionFloat or CborReaderState.SinglePrecisionFloat or CborReaderState.DoublePrecisionFloat:
                return JsonValue.Create(reader.ReadDouble());
            case CborReaderState.TextString or CborReaderState.StartIndefiniteLengthTextString:
                return JsonValue.Create(reader.ReadTextString());
            case CborReaderState.ByteString or CborReaderState.StartIndefiniteLengthByteString:
                return JsonValue.Create(Convert.ToBase64String(reader.ReadByteString()));
            case CborReaderState.Boolean:
                return JsonValue.Create(reader.ReadBoolean());
            case CborReaderState.Null:
                reader.ReadNull();
                return null;
            case CborReaderState.SimpleValue:
                reader.ReadSimpleValue();
                return null;
            case CborReaderState.Tag:
                reader.ReadTag();
                return Read(reader, depth + 1);
            case var state:
                throw CborValueReader.Malformed($"Unexpected {CborValueReader.Describe(state)} in a document.");
        }
    }

    public static void Write(CborWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNull();
                return;
            case JsonObject obj:
                writer.WriteStartMap(obj.Count);
                foreach (var (key, value) in obj)
                {
                    writer.WriteTextString(key);
                    Write(writer, value);
                }
                writer.WriteEndMap();
                return;
            case JsonArray array:
                writer.WriteStartArray(array.Count);
                foreach (var item in array) Write(writer, item);
                writer.WriteEndArray();
                return;
        }
        var v = node.AsValue();
        switch (v.GetValueKind())
        {
            case JsonValueKind.String:
                writer.WriteTextString(v.GetValue<string>());
                return;
            case JsonValueKind.True or JsonValueKind.False:
                writer.WriteBoolean(v.GetValue<bool>());
                return;
            case JsonValueKind.Number:
                // Going through the JSON text keeps whole numbers whole whatever CLR type the node holds.
                var text = v.ToJsonString();
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) writer.WriteInt64(l);
                else if (ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ul)) writer.WriteUInt64(ul);
                else writer.WriteDouble(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
                return;
            default:
                writer.WriteNull();
                return;
        }
    }
}
