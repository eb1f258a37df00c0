using System.Net;

namespace Nephele.Services.Logs.Insights;

/// <summary>The scalar functions of the query language (string, number, time, IP and general functions).</summary>
internal static class QueryFunctions
{
    /// <summary>Names and the argument counts they accept, checked when the query is parsed.</summary>
    public static readonly Dictionary<string, (int Min, int Max)> Arity = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ispresent"] = (1, 1),
        ["isempty"] = (1, 1),
        ["isblank"] = (1, 1),
        ["coalesce"] = (1, 100),
        ["concat"] = (1, 100),
        ["ltrim"] = (1, 2),
        ["rtrim"] = (1, 2),
        ["trim"] = (1, 2),
        ["strlen"] = (1, 1),
        ["toupper"] = (1, 1),
        ["tolower"] = (1, 1),
        ["substr"] = (2, 3),
        ["replace"] = (3, 3),
        ["strcontains"] = (2, 2),
        ["abs"] = (1, 1),
        ["ceil"] = (1, 1),
        ["floor"] = (1, 1),
        ["greatest"] = (1, 100),
        ["least"] = (1, 100),
        ["log"] = (1, 1),
        ["sqrt"] = (1, 1),
        ["bin"] = (1, 1),
        ["datefloor"] = (2, 2),
        ["dateceil"] = (2, 2),
        ["frommillis"] = (1, 1),
        ["tomillis"] = (1, 1),
        ["unmask"] = (1, 1),
        ["isvalidip"] = (1, 1),
        ["isvalidipv4"] = (1, 1),
        ["isvalidipv6"] = (1, 1),
    };

    public static object? Call(string name, List<QueryExpr> args, QueryRow row)
    {
        object? Arg(int i) => args[i].Eval(row);
        string? Str(int i) => QueryValue.Text(Arg(i));
        double? Num(int i) => QueryValue.Number(Arg(i));
        switch (name.ToLowerInvariant())
        {
            case "ispresent": return Arg(0) is not null;
            case "isempty": return Arg(0) is null || Str(0) is "";
            case "isblank": return string.IsNullOrWhiteSpace(Str(0));
            case "coalesce": return args.Select(a => a.Eval(row)).FirstOrDefault(v => v is not null);
            case "concat": return string.Concat(args.Select(a => QueryValue.Text(a.Eval(row))));
            case "ltrim": return Str(0) is { } l ? (args.Count > 1 ? l.TrimStart((Str(1) ?? "").ToCharArray()) : l.TrimStart()) : null;
            case "rtrim": return Str(0) is { } r ? (args.Count > 1 ? r.TrimEnd((Str(1) ?? "").ToCharArray()) : r.TrimEnd()) : null;
            case "trim": return Str(0) is { } t ? (args.Count > 1 ? t.Trim((Str(1) ?? "").ToCharArray()) : t.Trim()) : null;
            case "strlen": return Str(0) is { } s ? s.Length : null;
            case "toupper": return Str(0)?.ToUpperInvariant();
            case "tolower": return Str(0)?.ToLowerInvariant();
            case "substr": return Substring(Str(0), Num(1), args.Count > 2 ? Num(2) : null);
            case "replace": return Str(0) is { } text && Str(1) is { Length: > 0 } find ? text.Replace(find, Str(2) ?? "", StringComparison.Ordinal) : Str(0);
            case "strcontains": return Str(0) is { } hay && Str(1) is { } needle ? (hay.Contains(needle, StringComparison.Ordinal) ? 1.0 : 0.0) : null;
            case "abs": return Num(0) is { } a ? Math.Abs(a) : null;
            case "ceil": return Num(0) is { } c ? Math.Ceiling(c) : null;
            case "floor": return Num(0) is { } f ? Math.Floor(f) : null;
            case "greatest": return Extreme(args, row, +1);
            case "least": return Extreme(args, row, -1);
            case "log": return Num(0) is { } g && g > 0 ? Math.Log(g) : null;
            case "sqrt": return Num(0) is { } q && q >= 0 ? Math.Sqrt(q) : null;
            case "bin": return Floor(QueryValue.Time(row.Get("@timestamp")), Arg(0));
            case "datefloor": return Floor(QueryValue.Time(Arg(0)), Arg(1));
            case "dateceil": return Ceiling(QueryValue.Time(Arg(0)), Arg(1));
            case "frommillis": return Num(0) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms) : null;
            case "tomillis": return QueryValue.Time(Arg(0)) is { } time ? (double)time.ToUnixTimeMilliseconds() : null;
            case "unmask": return Arg(0); // Nephele masks nothing (no data protection policies), so the value is already clear.
            case "isvalidip": return IPAddress.TryParse(Str(0) ?? "", out _);
            case "isvalidipv4": return IPAddress.TryParse(Str(0) ?? "", out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
            case "isvalidipv6": return IPAddress.TryParse(Str(0) ?? "", out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            default: return null;
        }
    }

    private static string? Substring(string? s, double? start, double? length)
    {
        if (s is null || start is not { } st) return null;
        var from = Math.Clamp((int)st, 0, s.Length);
        var count = length is { } l ? Math.Clamp((int)l, 0, s.Length - from) : s.Length - from;
        return s.Substring(from, count);
    }

    private static object? Extreme(List<QueryExpr> args, QueryRow row, int sign)
    {
        object? best = null;
        foreach (var v in args.Select(a => a.Eval(row)).Where(v => v is not null))
            if (best is null || QueryValue.SortCompare(v, best) * sign > 0) best = v;
        return best;
    }

    private static DateTimeOffset? Floor(DateTimeOffset? time, object? period)
    {
        if (time is not { } t || Period(period) is not { } p) return null;
        var ms = t.ToUnixTimeMilliseconds();
        return DateTimeOffset.FromUnixTimeMilliseconds(ms - (((ms % p) + p) % p));
    }

    private static DateTimeOffset? Ceiling(DateTimeOffset? time, object? period)
    {
        if (Floor(time, period) is not { } floor || Period(period) is not { } p) return null;
        return floor == time ? floor : floor.AddMilliseconds(p);
    }

    private static long? Period(object? period) => period switch
    {
        TimeSpan span when span.TotalMilliseconds >= 1 => (long)span.TotalMilliseconds,
        _ => QueryValue.Number(period) is { } n && n >= 1 ? (long)n : null,
    };
}
