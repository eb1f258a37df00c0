using System.Globalization;

namespace Nephele.Services.Logs.Insights;

/// <summary>
/// Values inside a Logs Insights query: string, double, bool, DateTimeOffset (times such as @timestamp and bin()),
/// TimeSpan (duration literals such as 5m) or null (a field the record does not have).
/// </summary>
internal static class QueryValue
{
    /// <summary>A value as GetQueryResults prints it (times as AWS does: "2024-01-15 10:30:00.000").</summary>
    public static string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        double d => FormatNumber(d),
        bool b => b ? "true" : "false",
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
        TimeSpan span => FormatNumber(span.TotalMilliseconds),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    public static string FormatNumber(double d) =>
        d == Math.Floor(d) && Math.Abs(d) < 1e15 ? ((long)d).ToString(CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The number a value stands for: numbers, numeric strings, times (epoch milliseconds), booleans.</summary>
    public static double? Number(object? value) => value switch
    {
        double d => d,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        DateTimeOffset t => t.ToUnixTimeMilliseconds(),
        TimeSpan span => span.TotalMilliseconds,
        bool b => b ? 1 : 0,
        _ => null,
    };

    public static DateTimeOffset? Time(object? value) => value switch
    {
        DateTimeOffset t => t,
        double d => DateTimeOffset.FromUnixTimeMilliseconds((long)d),
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => DateTimeOffset.FromUnixTimeMilliseconds((long)d),
        string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) => t,
        _ => null,
    };

    public static string? Text(object? value) => value is string s ? s : Format(value);

    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        double d => d != 0,
        string s => s.Length > 0,
        _ => true,
    };

    /// <summary>Compares as numbers when both sides are numbers (a numeric string counts), else as text.</summary>
    public static int? Compare(object? a, object? b)
    {
        if (a is null || b is null) return null;
        if (a is string sa && b is string sb) return string.CompareOrdinal(sa, sb);
        if (Number(a) is { } na && Number(b) is { } nb) return na.CompareTo(nb);
        return string.CompareOrdinal(Text(a), Text(b));
    }

    public static bool Equal(object? a, object? b) => Compare(a, b) == 0;

    /// <summary>The sort order of the sort command: non-numbers before numbers, numbers by value, text by code point.</summary>
    public static int SortCompare(object? a, object? b)
    {
        if (a is null) return b is null ? 0 : -1;
        if (b is null) return 1;
        var na = a is string ? null : Number(a);
        var nb = b is string ? null : Number(b);
        if (a is string sa && double.TryParse(sa, NumberStyles.Float, CultureInfo.InvariantCulture, out var pa)) na = pa;
        if (b is string sb && double.TryParse(sb, NumberStyles.Float, CultureInfo.InvariantCulture, out var pb)) nb = pb;
        if (na is { } x && nb is { } y) return x.CompareTo(y);
        if (na is not null) return 1;
        if (nb is not null) return -1;
        return string.CompareOrdinal(Text(a), Text(b));
    }
}
