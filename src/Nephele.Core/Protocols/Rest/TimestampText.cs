using System.Globalization;

namespace Nephele.Core.Protocols.Rest;

/// <summary>
/// The three timestamp formats of AWS models (timestampFormat: iso8601, rfc822, unixTimestamp) as text.
/// Reading is lenient — a value in any of the three is accepted whatever the member's format — because
/// hand-written clients (and the AWS CLI's shorthand) do not always honour the model's format.
/// </summary>
public static class TimestampText
{
    public const string Iso8601 = "iso8601";
    public const string HttpDate = "rfc822";
    public const string EpochSeconds = "unixTimestamp";

    private const long TicksPerSecond = TimeSpan.TicksPerSecond;

    public static string Format(DateTimeOffset value, string format)
    {
        var utc = value.ToUniversalTime();
        return format switch
        {
            HttpDate => utc.ToString("r", CultureInfo.InvariantCulture),
            EpochSeconds => ToEpochSeconds(utc).ToString(CultureInfo.InvariantCulture),
            // 'F' drops trailing zeros and the dot itself when the fraction is zero.
            _ => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Seconds since the epoch, fractional only when the instant has a fraction.</summary>
    public static decimal ToEpochSeconds(DateTimeOffset value)
    {
        var ticks = value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = (decimal)ticks / TicksPerSecond;
        return ticks % TicksPerSecond == 0 ? decimal.Truncate(seconds) : seconds;
    }

    public static DateTimeOffset FromEpochSeconds(decimal seconds)
        => DateTimeOffset.UnixEpoch.AddTicks((long)decimal.Round(seconds * TicksPerSecond));

    public static DateTimeOffset FromEpochSeconds(double seconds)
        => DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TicksPerSecond));

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        var s = text.AsSpan().Trim();
        if (s.Length == 0) { value = default; return false; }
        if (decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var epoch))
        {
            try { value = FromEpochSeconds(epoch); return true; }
            catch (ArgumentOutOfRangeException) { value = default; return false; }
            catch (OverflowException) { value = default; return false; }
        }
        if (DateTimeOffset.TryParseExact(s, "r", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out value))
            return true;
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }
}
