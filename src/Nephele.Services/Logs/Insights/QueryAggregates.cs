namespace Nephele.Services.Logs.Insights;

/// <summary>The aggregate functions of stats, each an accumulator fed one row at a time.</summary>
internal sealed class Aggregator(AggregateExpr aggregate)
{
    public static readonly Dictionary<string, (int Min, int Max)> Arity = new(StringComparer.OrdinalIgnoreCase)
    {
        ["count"] = (0, 1),
        ["count_distinct"] = (1, 1),
        ["sum"] = (1, 1),
        ["avg"] = (1, 1),
        ["min"] = (1, 1),
        ["max"] = (1, 1),
        ["pct"] = (2, 2),
        ["stddev"] = (1, 1),
        ["earliest"] = (1, 1),
        ["latest"] = (1, 1),
        ["sortsfirst"] = (1, 1),
        ["sortslast"] = (1, 1),
    };

    private readonly string _name = aggregate.Name.ToLowerInvariant();
    private readonly List<double> _numbers = [];
    private readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
    private long _count;
    private object? _best;
    private DateTimeOffset? _bestTime;

    public void Add(QueryRow row)
    {
        // count() and count(*) count records; count(field) counts the records that have the field.
        if (_name == "count")
        {
            if (aggregate.Args.Count == 0 || aggregate.Args[0] is LiteralExpr { Value: "*" } || aggregate.Args[0].Eval(row) is not null) _count++;
            return;
        }
        var value = aggregate.Args[0].Eval(row);
        if (value is null) return;
        switch (_name)
        {
            case "count_distinct":
                _distinct.Add(QueryValue.Text(value) ?? "");
                break;
            case "sum" or "avg" or "stddev" or "pct":
                if (QueryValue.Number(value) is { } n) _numbers.Add(n);
                break;
            case "min" or "sortsfirst":
                if (_best is null || QueryValue.SortCompare(value, _best) < 0) _best = value;
                break;
            case "max" or "sortslast":
                if (_best is null || QueryValue.SortCompare(value, _best) > 0) _best = value;
                break;
            case "earliest" or "latest":
                var time = QueryValue.Time(row.Get("@timestamp")) ?? DateTimeOffset.MinValue;
                if (_bestTime is null || (_name == "earliest" ? time < _bestTime : time >= _bestTime)) (_best, _bestTime) = (value, time);
                break;
        }
    }

    public object? Result()
    {
        switch (_name)
        {
            case "count": return (double)_count;
            case "count_distinct": return (double)_distinct.Count;
            case "sum": return _numbers.Sum();
            case "avg": return _numbers.Count == 0 ? null : _numbers.Average();
            case "stddev":
                if (_numbers.Count < 2) return _numbers.Count == 0 ? null : 0.0;
                var mean = _numbers.Average();
                return Math.Sqrt(_numbers.Sum(x => (x - mean) * (x - mean)) / (_numbers.Count - 1));
            case "pct":
                if (_numbers.Count == 0) return null;
                _numbers.Sort();
                var p = Math.Clamp(QueryValue.Number(aggregate.Args[1].Eval(new QueryRow())) ?? 50, 0, 100);
                // Nearest rank: the smallest value with at least p% of the values at or below it.
                var rank = (int)Math.Ceiling(p / 100 * _numbers.Count);
                return _numbers[Math.Clamp(rank - 1, 0, _numbers.Count - 1)];
            default:
                // min and max keep numbers as numbers, so avg(min(x)) style arithmetic works.
                return _name is "min" or "max" && _best is string s && QueryValue.Number(s) is { } n ? n : _best;
        }
    }
}
