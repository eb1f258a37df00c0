using System.Collections;
using System.Globalization;
using System.Numerics;
using Nephele.Core.Models;
using Nephele.Core.Protocols.Rest;

namespace Nephele.Core.Protocols.Xml;

/// <summary>
/// Scalars as XML text and form values (query, ec2, rest-xml bodies): the same text as HTTP bindings use,
/// with ISO 8601 as the default timestamp format. Reading never throws, so each protocol can answer bad
/// input with its own error code.
/// </summary>
public static class XmlScalars
{
    /// <summary>Renders a scalar value of <paramref name="member"/>'s shape.</summary>
    public static string Format(Member member, object value) =>
        HttpScalarText.Format(member.Shape, value, member.TimestampFormat ?? TimestampText.Iso8601, member.Name);

    /// <summary>Reads a scalar of <paramref name="shape"/>; timestamps in any of the three formats are accepted.</summary>
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
                // Out of the shape's range is as wrong as not a number: AWS would not truncate either.
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
                value = HttpScalarText.ParseDouble(text.Trim());
                return value is not null;
            case ShapeType.BigDecimal:
                if (!decimal.TryParse(text.AsSpan().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var m)) return false;
                value = m;
                return true;
            case ShapeType.Timestamp:
                if (!TimestampText.TryParse(text, out var t)) return false;
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

    /// <summary>An unmodeled scalar field (S3's BucketName on an error) as text, or null when it is not a scalar.</summary>
    public static string? FormatLoose(object value) => value switch
    {
        string s => s,
        DateTimeOffset t => TimestampText.Format(t, TimestampText.Iso8601),
        bool or IFormattable or Enum => ScalarValues.AsString(value, "field"),
        _ => null,
    };

    /// <summary>A list value: the documented List&lt;object?&gt;, or any other non-text enumerable a handler built.</summary>
    internal static IEnumerable? AsList(object value) => value switch
    {
        string or byte[] => null,
        IEnumerable list => list,
        _ => null,
    };
}
