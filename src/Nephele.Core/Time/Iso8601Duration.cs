using System.Globalization;

namespace Nephele.Core.Time;

/// <summary>
/// ISO-8601 durations as the clock endpoint takes them (<c>{"advance":"PT1H"}</c>): <c>PnW</c>, <c>PnD</c>,
/// <c>PTnHnMnS</c> and combinations such as <c>P1DT2H</c>, with a decimal fraction on the last component
/// (<c>PT1.5S</c>) and an optional leading minus. Years and months are refused: they have no fixed length.
/// </summary>
public static class Iso8601Duration
{
    /// <exception cref="FormatException"><paramref name="text"/> is not a duration; the message says why.</exception>
    public static TimeSpan Parse(string text)
        => TryParse(text, out var value, out var error) ? value : throw new FormatException($"'{text}' is not an ISO-8601 duration: {error}.");

    public static bool TryParse(string? text, out TimeSpan value) => TryParse(text, out value, out _);

    // Components in the order they must appear; the date part holds Y M W D, the time part (after T) H M S.
    private enum Unit { Year, Month, Week, Day, Hour, Minute, Second }

    private static readonly long[] TicksPer =
        [0, 0, TimeSpan.TicksPerDay * 7, TimeSpan.TicksPerDay, TimeSpan.TicksPerHour, TimeSpan.TicksPerMinute, TimeSpan.TicksPerSecond];

    private static bool TryParse(string? text, out TimeSpan value, out string error)
    {
        value = default;
        var s = (text ?? "").AsSpan().Trim();
        var i = 0;
        var negative = false;
        if (i < s.Length && s[i] == '-')
        {
            negative = true;
            i++;
        }
        if (i >= s.Length || char.ToUpperInvariant(s[i]) != 'P') return Fail("it must start with P", out error);
        i++;

        var inTime = false;
        var sawTimeComponent = false;
        var sawComponent = false;
        var sawFraction = false;
        Unit? last = null;
        decimal ticks = 0;
        while (i < s.Length)
        {
            if (char.ToUpperInvariant(s[i]) == 'T')
            {
                if (inTime) return Fail("T appears twice", out error);
                inTime = true;
                i++;
                continue;
            }
            if (sawFraction) return Fail("only the last component may have a fraction", out error);

            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] is '.' or ','))
                i++;
            if (i == start) return Fail($"expected a number at position {start + 1}", out error);
            if (i == s.Length) return Fail("the last number has no unit designator", out error);
            var number = s[start..i].ToString().Replace(',', '.');
            if (!char.IsAsciiDigit(number[0]) || !char.IsAsciiDigit(number[^1])
                || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
                return Fail($"'{number}' is not a number", out error);
            sawFraction = number.Contains('.', StringComparison.Ordinal);

            Unit? unit = (char.ToUpperInvariant(s[i]), inTime) switch
            {
                ('Y', false) => Unit.Year,
                ('M', false) => Unit.Month,
                ('W', false) => Unit.Week,
                ('D', false) => Unit.Day,
                ('H', true) => Unit.Hour,
                ('M', true) => Unit.Minute,
                ('S', true) => Unit.Second,
                _ => null,
            };
            if (unit is not { } u)
                return Fail(inTime ? $"'{s[i]}' is not an hour, minute or second designator" : $"'{s[i]}' is not a day or week designator (hours, minutes and seconds follow T)", out error);
            if (u is Unit.Year or Unit.Month) return Fail("years and months have no fixed length; use days (P30D)", out error);
            if (last is { } previous && u <= previous) return Fail($"{u} is repeated or out of order", out error);
            last = u;
            sawComponent = true;
            sawTimeComponent |= inTime;
            i++;
            try
            {
                ticks += amount * TicksPer[(int)u];
            }
            catch (OverflowException)
            {
                return Fail("it is too long", out error);
            }
        }
        if (!sawComponent) return Fail("it has no components", out error);
        if (inTime && !sawTimeComponent) return Fail("T is not followed by hours, minutes or seconds", out error);
        ticks = Math.Round(ticks);
        if (ticks > TimeSpan.MaxValue.Ticks) return Fail("it is too long", out error);
        value = TimeSpan.FromTicks(negative ? -(long)ticks : (long)ticks);
        error = "";
        return true;
    }

    private static bool Fail(string reason, out string error)
    {
        error = reason;
        return false;
    }
}
