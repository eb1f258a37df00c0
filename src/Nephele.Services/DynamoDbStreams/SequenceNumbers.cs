using System.Globalization;
using System.Numerics;

namespace Nephele.Services.DynamoDbStreams;

/// <summary>
/// Stream sequence numbers: 21-digit decimal strings like AWS's, so their text order is their numeric order and
/// they serve directly as record keys. A stream's numbers start at 10^20 + (its creation second x 10^10), or just
/// above the end of the table's previous stream if that is higher, so a re-enabled stream's numbers are above its
/// predecessor's.
/// </summary>
internal static class SequenceNumbers
{
    public const int Width = 21;
    private static readonly BigInteger Min = BigInteger.Pow(10, Width - 1);
    private static readonly BigInteger Max = BigInteger.Pow(10, Width) - 1;

    public static string Format(BigInteger value) => value.ToString("D" + Width, CultureInfo.InvariantCulture);

    public static BigInteger Parse(string text) => BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The first sequence number of a stream created at <paramref name="created"/>.</summary>
    public static string First(DateTimeOffset created) => Format(Min + (BigInteger)created.ToUnixTimeSeconds() * 10_000_000_000 + 1);

    public static string Next(string previous) => Format(Parse(previous) + 1);

    public static string Previous(string next) => Format(Parse(next) - 1);

    /// <summary>
    /// A client's sequence number as a key position: numbers with fewer digits lie before every stored record,
    /// numbers with more after; null when it is not a number at all.
    /// </summary>
    public static string? Position(string text)
    {
        if (text.Length == 0 || !text.All(char.IsAsciiDigit)) return null;
        var value = Parse(text);
        return value < Min ? Format(0) : value > Max ? Format(Max) : Format(value);
    }
}
