using System.Numerics;
using System.Text;
using Nephele.Core.Protocols;

namespace Nephele.Services.DynamoDb.Model;

/// <summary>
/// A DynamoDB number: up to 38 significant decimal digits, magnitude between 1E-130 and 9.9999999999999999999999999999999999999E+125,
/// kept exactly as Coefficient x 10^Exponent with no trailing zeros in the coefficient (so equal numbers are equal structs).
/// </summary>
public readonly record struct DynamoNumber(BigInteger Coefficient, int Exponent) : IComparable<DynamoNumber>
{
    public const int MaxDigits = 38;

    public static readonly DynamoNumber Zero = new(BigInteger.Zero, 0);

    public bool IsZero => Coefficient.IsZero;

    /// <summary>Parses a number as DynamoDB accepts it ("1", "-1.5", "1e3", " 12 " is rejected), normalised and range-checked.</summary>
    public static DynamoNumber Parse(string text)
    {
        if (!TryParseRaw(text, out var coefficient, out var exponent))
            throw AwsException.Validation($"The parameter cannot be converted to a numeric value: {text}");
        return Create(coefficient, exponent);
    }

    /// <summary>Normalises and applies DynamoDB's precision and range limits.</summary>
    public static DynamoNumber Create(BigInteger coefficient, int exponent)
    {
        if (coefficient.IsZero) return Zero;
        while (coefficient % 10 == 0)
        {
            coefficient /= 10;
            exponent++;
        }
        var digits = BigInteger.Abs(coefficient).ToString().Length;
        if (digits > MaxDigits)
            throw AwsException.Validation("Attempting to store more than 38 significant digits in a Number");
        // The magnitude is 0.d1d2... x 10^(exponent + digits).
        var magnitude = exponent + digits;
        if (magnitude > 126)
            throw AwsException.Validation("Number overflow. Attempting to store a number with magnitude larger than supported range");
        if (magnitude < -129)
            throw AwsException.Validation("Number underflow. Attempting to store a number with magnitude smaller than supported range");
        return new DynamoNumber(coefficient, exponent);
    }

    private static bool TryParseRaw(string text, out BigInteger coefficient, out int exponent)
    {
        coefficient = BigInteger.Zero;
        exponent = 0;
        var i = 0;
        var negative = false;
        if (i < text.Length && (text[i] == '-' || text[i] == '+'))
        {
            negative = text[i] == '-';
            i++;
        }
        var digits = new StringBuilder();
        var sawDigit = false;
        var fraction = 0;
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            digits.Append(text[i]);
            sawDigit = true;
        }
        if (i < text.Length && text[i] == '.')
        {
            for (i++; i < text.Length && char.IsAsciiDigit(text[i]); i++)
            {
                digits.Append(text[i]);
                fraction++;
                sawDigit = true;
            }
        }
        if (!sawDigit) return false;
        long exp = 0;
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            var expNegative = false;
            if (i < text.Length && (text[i] == '-' || text[i] == '+'))
            {
                expNegative = text[i] == '-';
                i++;
            }
            var start = i;
            for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
                exp = Math.Min(exp * 10 + (text[i] - '0'), 100_000);
            if (i == start) return false;
            if (expNegative) exp = -exp;
        }
        if (i != text.Length) return false;
        // Leading zeros carry no precision.
        var trimmed = digits.ToString().TrimStart('0');
        coefficient = trimmed.Length == 0 ? BigInteger.Zero : BigInteger.Parse(trimmed);
        if (negative) coefficient = -coefficient;
        exponent = (int)Math.Clamp(exp - fraction, -200_000, 200_000);
        return true;
    }

    public DynamoNumber Add(DynamoNumber other)
    {
        var e = Math.Min(Exponent, other.Exponent);
        return Create(Coefficient * BigInteger.Pow(10, Exponent - e) + other.Coefficient * BigInteger.Pow(10, other.Exponent - e), e);
    }

    public static bool operator <(DynamoNumber a, DynamoNumber b) => a.CompareTo(b) < 0;
    public static bool operator >(DynamoNumber a, DynamoNumber b) => a.CompareTo(b) > 0;
    public static bool operator <=(DynamoNumber a, DynamoNumber b) => a.CompareTo(b) <= 0;
    public static bool operator >=(DynamoNumber a, DynamoNumber b) => a.CompareTo(b) >= 0;

    public DynamoNumber Negate() => new(-Coefficient, Exponent);

    public int CompareTo(DynamoNumber other)
    {
        var s = Coefficient.Sign.CompareTo(other.Coefficient.Sign);
        if (s != 0 || Coefficient.IsZero) return s;
        var e = Math.Min(Exponent, other.Exponent);
        return (Coefficient * BigInteger.Pow(10, Exponent - e)).CompareTo(other.Coefficient * BigInteger.Pow(10, other.Exponent - e));
    }

    /// <summary>The canonical text DynamoDB returns: plain notation, no exponent, no trailing zeros.</summary>
    public override string ToString()
    {
        if (Coefficient.IsZero) return "0";
        var digits = BigInteger.Abs(Coefficient).ToString();
        var sign = Coefficient.Sign < 0 ? "-" : "";
        if (Exponent >= 0) return sign + digits + new string('0', Exponent);
        var point = digits.Length + Exponent;
        return point > 0
            ? sign + digits[..point] + "." + digits[point..]
            : sign + "0." + new string('0', -point) + digits;
    }

    /// <summary>
    /// Bytes whose unsigned lexicographic order is numeric order, for key encoding: a sign byte, the decimal
    /// magnitude (biased, complemented for negatives) and the digits (complemented and terminated for negatives).
    /// </summary>
    public byte[] ToSortableBytes()
    {
        if (Coefficient.IsZero) return [0x80];
        var digits = BigInteger.Abs(Coefficient).ToString();
        var magnitude = Exponent + digits.Length + 1000;
        var negative = Coefficient.Sign < 0;
        var bytes = new byte[3 + digits.Length + (negative ? 1 : 0)];
        bytes[0] = negative ? (byte)0x7F : (byte)0x81;
        var m = negative ? (ushort)~magnitude : (ushort)magnitude;
        bytes[1] = (byte)(m >> 8);
        bytes[2] = (byte)m;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[i] - '0';
            bytes[3 + i] = (byte)(negative ? 9 - d : d + 1);
        }
        // A longer negative number is smaller: the terminator sorts above every complemented digit.
        if (negative) bytes[^1] = 0xFF;
        return bytes;
    }
}
