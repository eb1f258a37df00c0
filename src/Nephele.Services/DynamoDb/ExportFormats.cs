using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb;

/// <summary>
/// The item lines of table exports, as DynamoDB writes them: DYNAMODB_JSON is one <c>{"Item":{...}}</c> object per line
/// in DynamoDB's typed JSON; ION is one <c>$ion_1_0 {Item:{...}}</c> value per line in Amazon Ion text, numbers as Ion
/// decimals, binaries as blobs and sets as lists annotated <c>$dynamodb_SS</c>, <c>$dynamodb_NS</c>, <c>$dynamodb_BS</c>.
/// </summary>
internal static class ExportFormats
{
    public static void WriteJsonLine(Stream output, IReadOnlyDictionary<string, AttributeValue> item)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WritePropertyName("Item");
            // The same DynamoDB JSON as stream records carry.
            DynamoDbStreams.StreamRecordWire.WriteMap(w, item);
            w.WriteEndObject();
        }
        output.Write(buffer.WrittenSpan);
        output.WriteByte((byte)'\n');
    }

    public static void WriteIonLine(Stream output, IReadOnlyDictionary<string, AttributeValue> item)
    {
        var text = new StringBuilder("$ion_1_0 {Item:");
        WriteIonMap(text, item);
        text.Append("}\n");
        output.Write(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static void WriteIonMap(StringBuilder text, IReadOnlyDictionary<string, AttributeValue> map)
    {
        text.Append('{');
        var first = true;
        foreach (var (name, value) in map)
        {
            if (!first) text.Append(',');
            first = false;
            IonString(text, name);
            text.Append(':');
            WriteIon(text, value);
        }
        text.Append('}');
    }

    private static void WriteIon(StringBuilder text, AttributeValue v)
    {
        switch (v.Type)
        {
            case AttributeType.S: IonString(text, v.S!); break;
            case AttributeType.N: text.Append(IonDecimal(v.N)); break;
            case AttributeType.B: text.Append("{{").Append(Convert.ToBase64String(v.B!)).Append("}}"); break;
            case AttributeType.BOOL: text.Append(v.Bool ? "true" : "false"); break;
            case AttributeType.NULL: text.Append("null"); break;
            case AttributeType.M: WriteIonMap(text, v.M!); break;
            case AttributeType.L: IonList(text, v.L!, e => WriteIon(text, e)); break;
            case AttributeType.SS: text.Append("$dynamodb_SS::"); IonList(text, v.SS!, s => IonString(text, s)); break;
            case AttributeType.NS: text.Append("$dynamodb_NS::"); IonList(text, v.NS!, n => text.Append(IonDecimal(n))); break;
            default: text.Append("$dynamodb_BS::"); IonList(text, v.BS!, b => text.Append("{{").Append(Convert.ToBase64String(b)).Append("}}")); break;
        }
    }

    private static void IonList<T>(StringBuilder text, List<T> items, Action<T> write)
    {
        text.Append('[');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) text.Append(',');
            write(items[i]);
        }
        text.Append(']');
    }

    /// <summary>An Ion decimal: "1.5", "10." (a bare integer would be an Ion int), "1.2d40" for an exponent.</summary>
    public static string IonDecimal(DynamoNumber n)
    {
        var s = n.ToString();
        var e = s.IndexOfAny(['e', 'E']);
        if (e >= 0) return string.Concat(s.AsSpan(0, e), "d", s[(e + 1)..].TrimStart('+'));
        return s.Contains('.') ? s : s + ".";
    }

    private static void IonString(StringBuilder text, string s)
    {
        text.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < 0x20) text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        text.Append('"');
    }
}
