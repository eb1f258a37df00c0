using System.Buffers;
using System.Text.Json;

namespace Nephele.Services.S3;

/// <summary>
/// A bucket configuration document as stored: the protocol value tree the request carried (structures as
/// dictionaries, lists, strings, numbers, booleans, timestamps), written as JSON that reads back to the
/// same tree, so Get returns exactly what Put stored without knowing each configuration's schema.
/// Timestamps and blobs are objects with one "$t"/"$b" member; map keys that start with '$' get one more.
/// </summary>
internal static class ConfigDocument
{
    public static byte[] Write(Dictionary<string, object?> document)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            WriteValue(writer, document);
        return buffer.WrittenSpan.ToArray();
    }

    public static Dictionary<string, object?> Read(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        return (Dictionary<string, object?>)ReadValue(doc.RootElement)!;
    }

    /// <summary>A deep copy, so a handler can change what it returns without touching what it read.</summary>
    public static Dictionary<string, object?> Copy(Dictionary<string, object?> document) => Read(Write(document));

    private static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case long l: w.WriteNumberValue(l); break;
            case int i: w.WriteNumberValue(i); break;
            case double d: w.WriteNumberValue(d); break;
            case decimal m: w.WriteNumberValue(m); break;
            case DateTimeOffset t:
                w.WriteStartObject();
                w.WriteString("$t", t.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                w.WriteEndObject();
                break;
            case byte[] bytes:
                w.WriteStartObject();
                w.WriteBase64String("$b", bytes);
                w.WriteEndObject();
                break;
            case Dictionary<string, object?> map:
                w.WriteStartObject();
                foreach (var (k, v) in map)
                {
                    w.WritePropertyName(k.StartsWith('$') ? "$" + k : k);
                    WriteValue(w, v);
                }
                w.WriteEndObject();
                break;
            case List<object?> list:
                w.WriteStartArray();
                foreach (var v in list) WriteValue(w, v);
                w.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException($"A configuration document cannot hold a {value.GetType().Name}.");
        }
    }

    private static object? ReadValue(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String: return e.GetString();
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Number: return e.TryGetInt64(out var l) ? l : e.GetDouble();
            case JsonValueKind.Array:
                var list = new List<object?>();
                foreach (var item in e.EnumerateArray()) list.Add(ReadValue(item));
                return list;
            case JsonValueKind.Object:
                if (e.TryGetProperty("$t", out var t))
                    return DateTimeOffset.Parse(t.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                if (e.TryGetProperty("$b", out var b)) return b.GetBytesFromBase64();
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var p in e.EnumerateObject()) map[p.Name.StartsWith('$') ? p.Name[1..] : p.Name] = ReadValue(p.Value);
                return map;
            default: return null;
        }
    }
}
