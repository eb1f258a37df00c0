using System.Buffers;
using System.Collections;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nephele.Core.Models;
using Nephele.Core.Protocols.Rest;

namespace Nephele.Core.Protocols.Json;

/// <summary>
/// Writes protocol values as JSON, shape by shape, with Utf8JsonWriter. Timestamps are epoch seconds
/// unless the member says otherwise, blobs base64, NaN and infinities strings; nulls are left out.
/// </summary>
public static class JsonValueWriter
{
    // Relaxed escaping: responses are not embedded in HTML, and clients read non-ASCII text as is.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 256 };
    private const int MaxRetainedBuffer = 1 << 20;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>The JSON object of structure <paramref name="shape"/>; with <paramref name="bodyMembersOnly"/> members bound elsewhere (rest) are left out.</summary>
    public static byte[] WriteStructure(Shape shape, IReadOnlyDictionary<string, object?> values, bool bodyMembersOnly = false)
    {
        var (buffer, writer) = Rent();
        try
        {
            writer.WriteStartObject();
            WriteMembers(writer, shape, values, bodyMembersOnly);
            writer.WriteEndObject();
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            Return(buffer, writer);
        }
    }

    /// <summary>The JSON of one member's value (a rest payload: structure, union or document).</summary>
    public static byte[] WriteValue(Member member, object value)
    {
        var (buffer, writer) = Rent();
        try
        {
            Write(writer, member.Shape, member, value);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            Return(buffer, writer);
        }
    }

    /// <summary>Writes the set members of a structure into an object the caller has opened, except <paramref name="skip"/>.</summary>
    public static void WriteMembers(Utf8JsonWriter writer, Shape shape, IReadOnlyDictionary<string, object?> values, bool bodyMembersOnly = false, Member? skip = null)
    {
        foreach (var m in shape.Members)
        {
            if (m == skip || (bodyMembersOnly && m.Location != MemberLocation.Body)) continue;
            if (!values.TryGetValue(m.Name, out var v) || v is null) continue;
            writer.WritePropertyName(m.WireName);
            Write(writer, m.Shape, m, v);
        }
    }

    private static void Write(Utf8JsonWriter writer, Shape shape, Member member, object value)
    {
        if (shape.IsDocument)
        {
            WriteDocument(writer, value);
            return;
        }
        switch (shape.Type)
        {
            case ShapeType.Structure:
                writer.WriteStartObject();
                WriteMembers(writer, shape, AsStructure(value, member.Name));
                writer.WriteEndObject();
                return;
            case ShapeType.List:
                if (value is string or not IEnumerable) throw Wrong(value, "list", member.Name);
                writer.WriteStartArray();
                var item = shape.Member!;
                foreach (var v in (IEnumerable)value)
                {
                    if (v is null) writer.WriteNullValue();
                    else Write(writer, item.Shape, item, v);
                }
                writer.WriteEndArray();
                return;
            case ShapeType.Map:
                writer.WriteStartObject();
                var valueMember = shape.Value!;
                foreach (var (k, v) in ScalarValues.AsMapEntries(value, member.Name))
                {
                    if (v is null) continue;
                    writer.WritePropertyName(k);
                    Write(writer, valueMember.Shape, valueMember, v);
                }
                writer.WriteEndObject();
                return;
            case ShapeType.String:
                writer.WriteStringValue(ScalarValues.AsString(value, member.Name));
                return;
            case ShapeType.Boolean:
                writer.WriteBooleanValue(ScalarValues.AsBool(value, member.Name));
                return;
            case ShapeType.Integer or ShapeType.Long or ShapeType.Short or ShapeType.Byte:
                writer.WriteNumberValue(ScalarValues.AsLong(value, member.Name));
                return;
            case ShapeType.Float or ShapeType.Double:
                var d = value is float f ? f : ScalarValues.AsDouble(value, member.Name);
                if (!double.IsFinite(d)) writer.WriteStringValue(HttpScalarText.FormatDouble(d));
                else if (value is float single) writer.WriteNumberValue(single);
                else writer.WriteNumberValue(d);
                return;
            case ShapeType.BigInteger:
                writer.WriteRawValue(HttpScalarText.Format(shape, value, TimestampText.EpochSeconds, member.Name), skipInputValidation: true);
                return;
            case ShapeType.BigDecimal:
                writer.WriteNumberValue(ScalarValues.AsDecimal(value, member.Name));
                return;
            case ShapeType.Timestamp:
                var ts = ScalarValues.AsTimestamp(value, member.Name);
                var format = member.TimestampFormat ?? TimestampText.EpochSeconds;
                if (format == TimestampText.EpochSeconds) writer.WriteNumberValue(TimestampText.ToEpochSeconds(ts));
                else writer.WriteStringValue(TimestampText.Format(ts, format));
                return;
            case ShapeType.Blob:
                writer.WriteBase64StringValue(ScalarValues.AsBytes(value, member.Name));
                return;
        }
    }

    private static void WriteDocument(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case JsonNode node: node.WriteTo(writer); break;
            case JsonElement element: element.WriteTo(writer); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case long or int or short or byte: writer.WriteNumberValue(ScalarValues.AsLong(value, "document")); break;
            case double or float: writer.WriteNumberValue(ScalarValues.AsDouble(value, "document")); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case IEnumerable<KeyValuePair<string, object?>> or IDictionary:
                writer.WriteStartObject();
                foreach (var (k, v) in ScalarValues.AsMapEntries(value, "document"))
                {
                    writer.WritePropertyName(k);
                    WriteDocument(writer, v);
                }
                writer.WriteEndObject();
                break;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (var v in list) WriteDocument(writer, v);
                writer.WriteEndArray();
                break;
            default:
                throw Wrong(value, "document", "document");
        }
    }

    private static IReadOnlyDictionary<string, object?> AsStructure(object value, string member) => value switch
    {
        IReadOnlyDictionary<string, object?> d => d,
        _ => throw Wrong(value, "structure (Dictionary<string, object?>)", member),
    };

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) Rent()
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(512);
        var writer = t_writer;
        t_buffer = null;
        t_writer = null;
        buffer.ResetWrittenCount();
        if (writer is null) writer = new Utf8JsonWriter(buffer, Options);
        else writer.Reset(buffer);
        return (buffer, writer);
    }

    private static void Return(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer)
    {
        // A rare large response should not pin its buffer to the thread for ever.
        if (buffer.Capacity > MaxRetainedBuffer) return;
        t_buffer = buffer;
        t_writer = writer;
    }

    private static InvalidOperationException Wrong(object value, string expected, string member)
        => new($"Output member {member} should be a {expected}, but the handler gave a {value.GetType().Name}.");
}
