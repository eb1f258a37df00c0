using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using Nephele.Core.Models;

namespace Nephele.Core.Protocols.Xml;

/// <summary>
/// Scalars as text, the way the query, ec2 and rest-xml protocols carry them (XML text, form values).
/// Timestamp formats are botocore's names: iso8601 (the default here), rfc822, unixTimestamp.
/// </summary>
public static class XmlScalars
{
    public const string Iso8601 = "iso8601";
    public const string Rfc822 = "rfc822";
    public const string UnixTimestamp = "unixTimestamp";

    /// <summary>Renders a scalar value of <paramref name="shape"/>; <paramref name="timestampFormat"/> null means ISO 8601.</summary>
    public static string Format(Shape shape, string? timestampFormat, object value) => shape.Type switch
    {
        ShapeType.String => value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        ShapeType.Boolean => value is bool b ? (b ? "true" : "false") : Convert.ToString(value, CultureInfo.InvariantCulture)!.ToLowerInvariant(),
        ShapeType.Float or ShapeType.Double => FormatNumber(value),
        ShapeType.Timestamp => FormatTimestamp(ToTimestamp(value), timestampFormat ?? Iso8601),
        ShapeType.Blob => Convert.ToBase64String(ToBytes(value)),
        _ => FormatNumber(value),
    };

    public static string FormatNumber(object value) => value switch
    {
        double d => FormatDouble(d),
        // A float widened to double would print its binary noise (1.1f -> 1.100000023841858).
        float f => float.IsNaN(f) ? "NaN" : float.IsPositiveInfinity(f) ? "Infinity" : float.IsNegativeInfinity(f) ? "-Infinity" : f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    public static string FormatDouble(double d) =>
        double.IsNaN(d) ? "NaN"
        : double.IsPositiveInfinity(d) ? "Infinity"
        : double.IsNegativeInfinity(d) ? "-Infinity"
        : d.ToString("R", CultureInfo.InvariantCulture);

    public static string FormatTimestamp(DateTimeOffset value, string format)
    {
        var utc = value.ToUniversalTime();
        switch (format)
        {
            case UnixTimestamp:
                var ms = utc.ToUnixTimeMilliseconds();
                return ms % 1000 == 0
                    ? (ms / 1000).ToString(CultureInfo.InvariantCulture)
                    : (ms / 1000m).ToString("0.###", CultureInfo.InvariantCulture);
            case Rfc822:
                return utc.ToString("r", CultureInfo.InvariantCulture);
            default:
                return utc.Millisecond == 0
                    ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                    : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Reads a scalar of <paramref name="shape"/> from text. Timestamps are read leniently (ISO 8601 with any
    /// offset, RFC 822 or epoch seconds) whatever the declared format, as AWS front ends accept all three.
    /// </summary>
    public static bool TryParse(Shape shape, string text, out object? value)
    {
        value = null;
        switch (shape.Type)
        {
            case ShapeType.String:
                value = text;
                return true;
            case ShapeType.Boolean:
                if (text.Equals("true", StringComparison.OrdinalIgnoreCase)) value = true;
                else if (text.Equals("false", StringComparison.OrdinalIgnoreCase)) value = false;
                return value is not null;
            case ShapeType.Byte or ShapeType.Short or ShapeType.Integer or ShapeType.Long:
                if (!long.TryParse(text.AsSpan().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return false;
                var (min, max) = shape.Type switch
                {
                    ShapeType.Byte => (sbyte.MinValue, sbyte.MaxValue),
                    ShapeType.Short => (short.MinValue, short.MaxValue),
                    ShapeType.Integer => (int.MinValue, int.MaxValue),
                    _ => (long.MinValue, long.MaxValue),
                };
                if (l < min || l > max) return false;
                value = l;
                return true;
            case ShapeType.BigInteger:
                if (!BigInteger.TryParse(text.AsSpan().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big)) return false;
                value = big;
                return true;
            case ShapeType.Float or ShapeType.Double:
                if (!TryParseDouble(text.Trim(), out var d)) return false;
                value = d;
                return true;
            case ShapeType.BigDecimal:
                if (!decimal.TryParse(text.AsSpan().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var m)) return false;
                value = m;
                return true;
            case ShapeType.Timestamp:
                if (!TryParseTimestamp(text.Trim(), out var t)) return false;
                value = t;
                return true;
            case ShapeType.Blob:
                var bytes = new byte[text.Length * 3 / 4 + 3];
                if (!Convert.TryFromBase64String(text.Trim(), bytes, out var written)) return false;
                value = bytes.AsSpan(0, written).ToArray();
                return true;
            default:
                return false;
        }
    }

    public static bool TryParseDouble(string text, out double value)
    {
        switch (text)
        {
            case "NaN": value = double.NaN; return true;
            case "Infinity": value = double.PositiveInfinity; return true;
            case "-Infinity": value = double.NegativeInfinity; return true;
        }
        // Only digits, sign, point and exponent: .NET would otherwise also take "∞" or thousands separators.
        foreach (var c in text)
            if (!char.IsAsciiDigit(c) && c is not ('-' or '+' or '.' or 'e' or 'E'))
            {
                value = 0;
                return false;
            }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryParseTimestamp(string text, out DateTimeOffset value)
    {
        if (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] == '-') && text.IndexOf('-', 1) < 0 && !text.Contains(':', StringComparison.Ordinal)
            && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            try
            {
                value = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
                return true;
            }
            catch (ArgumentOutOfRangeException)
            {
                value = default;
                return false;
            }
        }
        return DateTimeOffset.TryParse(TrimFraction(text), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    // .NET reads at most 7 fractional digits; some clients send nanoseconds.
    private static string TrimFraction(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0) return text;
        var end = dot + 1;
        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
        return end - dot - 1 <= 7 ? text : string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
    }

    /// <summary>Handlers may hand timestamps over as DateTimeOffset, DateTime or epoch seconds.</summary>
    public static DateTimeOffset ToTimestamp(object value) => value switch
    {
        DateTimeOffset t => t,
        DateTime dt => dt.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)) : new DateTimeOffset(dt),
        long s => DateTimeOffset.FromUnixTimeSeconds(s),
        int s => DateTimeOffset.FromUnixTimeSeconds(s),
        double s => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(s * 1000)),
        string s when TryParseTimestamp(s, out var t) => t,
        _ => throw new InvalidOperationException($"A timestamp value of type {value.GetType().Name} cannot be serialized."),
    };

    /// <summary>Handlers may hand blobs over as bytes, memory or text (UTF-8).</summary>
    public static byte[] ToBytes(object value) => value switch
    {
        byte[] b => b,
        ReadOnlyMemory<byte> m => m.ToArray(),
        Memory<byte> m => m.ToArray(),
        string s => Encoding.UTF8.GetBytes(s),
        _ => throw new InvalidOperationException($"A blob value of type {value.GetType().Name} cannot be serialized."),
    };

    /// <summary>A list value: the documented List&lt;object?&gt;, or any other non-text enumerable a handler built.</summary>
    internal static IEnumerable? AsList(object value) => value is string or byte[] ? null : value as IEnumerable;
}
