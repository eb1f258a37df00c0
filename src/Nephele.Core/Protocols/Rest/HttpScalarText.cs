using System.Globalization;
using System.Numerics;
using System.Text;
using Nephele.Core.Models;

namespace Nephele.Core.Protocols.Rest;

/// <summary>
/// Scalars as they appear in URI labels, query parameters and headers, and the list syntax of headers
/// (comma-separated, strings quoted when they hold a comma or a quote).
/// </summary>
public static class HttpScalarText
{
    /// <summary>Reads one scalar of <paramref name="shape"/>; bad text is the client's fault (SerializationException).</summary>
    public static object Parse(Shape shape, string text, string? timestampFormat, string where)
    {
        switch (shape.Type)
        {
            case ShapeType.String:
                return text;
            case ShapeType.Boolean:
                if (text.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
                if (text.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
                throw Bad(text, "a boolean", where);
            case ShapeType.Integer or ShapeType.Long or ShapeType.Short or ShapeType.Byte:
                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : throw Bad(text, "an integer", where);
            case ShapeType.Float or ShapeType.Double:
                return ParseDouble(text) ?? throw Bad(text, "a number", where);
            case ShapeType.BigInteger:
                return BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bi) ? bi : throw Bad(text, "an integer", where);
            case ShapeType.BigDecimal:
                return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) ? m : throw Bad(text, "a number", where);
            case ShapeType.Timestamp:
                return TimestampText.TryParse(text, out var ts) ? ts : throw Bad(text, "a timestamp", where);
            case ShapeType.Blob:
                try { return Convert.FromBase64String(text); }
                catch (FormatException) { throw Bad(text, "base64 data", where); }
            default:
                throw Bad(text, shape.Type.ToString().ToLowerInvariant(), where);
        }
    }

    /// <summary>Writes one scalar; <paramref name="timestampFormat"/> is the member's or the location's default.</summary>
    public static string Format(Shape shape, object value, string timestampFormat, string member) => shape.Type switch
    {
        ShapeType.String => ScalarValues.AsString(value, member),
        ShapeType.Boolean => ScalarValues.AsBool(value, member) ? "true" : "false",
        ShapeType.Integer or ShapeType.Long or ShapeType.Short or ShapeType.Byte => ScalarValues.AsLong(value, member).ToString(CultureInfo.InvariantCulture),
        ShapeType.Float or ShapeType.Double => FormatDouble(value is float f ? f : ScalarValues.AsDouble(value, member), value is float),
        ShapeType.BigInteger => ScalarValues.AsBigInteger(value, member).ToString(CultureInfo.InvariantCulture),
        ShapeType.BigDecimal => ScalarValues.AsDecimal(value, member).ToString(CultureInfo.InvariantCulture),
        ShapeType.Timestamp => TimestampText.Format(ScalarValues.AsTimestamp(value, member), timestampFormat),
        ShapeType.Blob => Convert.ToBase64String(ScalarValues.AsBytes(value, member)),
        _ => throw new InvalidOperationException($"Member {member} of type {shape.Type} cannot be written as text."),
    };

    public static double? ParseDouble(string text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null,
    };

    public static string FormatDouble(double d, bool single = false) => d switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        _ => single ? ((float)d).ToString("R", CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Splits a list header. Items may be quoted ("b,c") with backslash escapes; an http-date holds a
    /// comma of its own, so a list of them is split on every other comma.
    /// </summary>
    public static List<string> SplitHeaderList(string value, bool httpDates)
    {
        var items = new List<string>();
        if (string.IsNullOrWhiteSpace(value)) return items;
        if (httpDates)
        {
            var parts = value.Split(',');
            for (var i = 0; i < parts.Length; i += 2)
                items.Add(i + 1 < parts.Length ? (parts[i] + "," + parts[i + 1]).Trim() : parts[i].Trim());
            return items;
        }
        var pos = 0;
        while (pos <= value.Length)
        {
            while (pos < value.Length && value[pos] is ' ' or '\t') pos++;
            if (pos < value.Length && value[pos] == '"')
            {
                var sb = new StringBuilder();
                pos++;
                while (pos < value.Length && value[pos] != '"')
                {
                    if (value[pos] == '\\' && pos + 1 < value.Length) pos++;
                    sb.Append(value[pos++]);
                }
                items.Add(sb.ToString());
                var comma = value.IndexOf(',', pos);
                if (comma < 0) break;
                pos = comma + 1;
            }
            else
            {
                var comma = value.IndexOf(',', pos);
                var end = comma < 0 ? value.Length : comma;
                items.Add(value[pos..end].Trim());
                if (comma < 0) break;
                pos = comma + 1;
            }
        }
        return items;
    }

    /// <summary>Quotes a list item that would otherwise be split apart by <see cref="SplitHeaderList"/>.</summary>
    public static string QuoteListItem(string item)
        => item.AsSpan().IndexOfAny(',', '"') < 0 ? item : "\"" + item.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static AwsException Bad(string text, string expected, string where)
        => new("SerializationException", $"Value '{text}' for {where} is not {expected}.", 400);
}
