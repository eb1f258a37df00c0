using System.Text.RegularExpressions;

namespace Nephele.Services.Logs.Insights;

/// <summary>What a query's commands decide about the result besides its rows.</summary>
internal sealed class QueryShape
{
    /// <summary>The fields to show, in order; null shows every field a row has.</summary>
    public List<string>? Projection { get; set; }
    public bool Aggregated { get; set; }
    public bool Sorted { get; set; }
    public int? Limit { get; set; }
}

internal abstract class QueryCommand
{
    public abstract IEnumerable<QueryRow> Run(IEnumerable<QueryRow> rows, QueryShape shape);
}

/// <summary>`fields a, b + 1 as c`: computes fields and chooses them for the result.</summary>
internal sealed class FieldsCommand(List<(QueryExpr Expr, string Name)> items) : QueryCommand
{
    public override IEnumerable<QueryRow> Run(IEnumerable<QueryRow> rows, QueryShape shape)
    {
        shape.Projection ??= [];
        foreach (var (_, name) in items)
            if (!shape.Projection.Contains(name)) shape.Projection.Add(name);
        return rows.Select(row =>
        {
            foreach (var (expr, name) in items)
                if (expr is not FieldExpr f || f.Name != name) row.Fields[name] = expr.Eval(row);
            return row;
        });
    }
}

/// <summary>`display a, b`: the fields to show, replacing what fields chose.</summary>
internal sealed class DisplayCommand(List<string> names) : QueryCommand
{
    public override IEnumerable<QueryRow> Run(IEnumerable<QueryRow> rows, QueryShape shape)
    {
        shape.Projection = [.. names];
        return rows;
    }
}

internal sealed class FilterCommand(QueryExpr condition) : QueryCommand
{
    public override IEnumerable<QueryRow> Run(IEnumerable<QueryRow> rows, QueryShape shape) =>
        rows.Where(row => QueryValue.Truthy(condition.Eval(row)));
}

/// <summary>`parse field "glob * text *" as a, b` or `parse field /(?&lt;a&gt;...)/`: extracts fields; a row that does
/// not match keeps going without them.</summary>
internal sealed class ParseCommand(QueryExpr source, Regex pattern, List<string> names) : QueryCommand
{
    public override IEnumerable<QueryRow> Run(IEnumerable<QueryRow> rows, QueryShape shape) => rows.Select(row =>
    {
        if (QueryValue.Text(source.Eval(row)) is { } text && pattern.Match(text) is { Success: true } match)
        {
            for (var i = 0; i < names.Count; i++)
                row.Fields[names[i]] = match.Groups[i + 1].Value;
        }
        return row;
    });
}

/// <summary>`stats agg(x) as a, ... by f, bin(5m)`: one row per group, in the order of the group keys.</summary>
internal sealed class StatsCommand(List<(QueryExpr Expr, string Name)> items, List<(QueryExpr Expr, string Name)> groups) : QueryCommand
{
    private readonly List<AggregateExpr> _aggregates = items.SelectMany(i => i.Expr.Aggregates()).Distinct().ToList();

    // The shape changes when the pipeline is built, so later fields or display commands apply on top of it.
    public override IEnumerable<QueryRow> Run(IEnumerable<QueryRow> rows, QueryShape shape)
    {
        shape.Aggregated = true;
        shape.Projection = [.. groups.Select(g => g.Name), .. items.Select(i => i.Name)];
        return Aggregate(rows);
    }

    private IEnumerable<QueryRow> Aggregate(IEnumerable<QueryRow> rows)
    {
        var buckets = new Dictionary<string, (object?[] Keys, Aggregator[] Accumulators)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var keys = groups.Select(g => g.Expr.Eval(row)).ToArray();
            var id = string.Join("\u0001", keys.Select(k => k is null ? "\u0002" : QueryValue.Format(k)));
            if (!buckets.TryGetValue(id, out var bucket))
                buckets[id] = bucket = (keys, _aggregates.Select(a => new Aggregator(a)).ToArray());
            foreach (var accumulator in bucket.Accumulators) accumulator.Add(row);
        }
        // Without `by`, stats answers one row even over no records (count() is 0).
        if (groups.Count == 0 && buckets.Count == 0) buckets[""] = ([], _aggregates.Select(a => new Aggregator(a)).ToArray());
        var ordered = buckets.Values.ToList();
        ordered.Sort((a, b) =>
        {
            for (var i = 0; i < a.Keys.Length; i++)
                if (QueryValue.SortCompare(a.Keys[i], b.Keys[i]) is var c && c != 0) return c;
            return 0;
        });
        foreach (var (keys, accumulators) in ordered)
        {
            var row = new QueryRow { Aggregates = [] };
            for (var i = 0; i < _aggregates.Count; i++) row.Aggregates[_aggregates[i]] = accumulators[i].Result();
            for (var i = 0; i < groups.Count; i++) row.Fields[groups[i].Name] = keys[i];
            foreach (var (expr, name) in items) row.Fields[name] = expr.Eval(row);
            row.Aggregates = null;
            yield return row;
        }
    }
}

internal sealed class SortCommand(List<(QueryExpr Expr, bool Descending)> keys) : QueryCommand
{
    public override IEnumerable<QueryRow> Run(IEnumerable<QueryRow> rows, QueryShape shape)
    {
        shape.Sorted = true;
        var list = rows.Select(r => (Row: r, Keys: keys.Select(k => k.Expr.Eval(r)).ToArray())).ToList();
        // A stable sort: rows with equal keys keep their order.
        return list.Select((item, index) => (item, index)).OrderBy(x => x, Comparer<((QueryRow Row, object?[] Keys) item, int index)>.Create((a, b) =>
        {
            for (var i = 0; i < keys.Count; i++)
            {
                var c = QueryValue.SortCompare(a.item.Keys[i], b.item.Keys[i]);
                if (c != 0) return keys[i].Descending ? -c : c;
            }
            return a.index.CompareTo(b.index);
        })).Select(x => x.item.Row);
    }
}

internal sealed class LimitCommand(int count) : QueryCommand
{
    public override IEnumerable<QueryRow> Run(IEnumerable<QueryRow> rows, QueryShape shape)
    {
        shape.Limit = count;
        return rows.Take(count);
    }
}

/// <summary>`dedup a, b`: keeps the first row of each combination of values (rows missing a field are kept).</summary>
internal sealed class DedupCommand(List<string> names) : QueryCommand
{
    public override IEnumerable<QueryRow> Run(IEnumerable<QueryRow> rows, QueryShape shape)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return rows.Where(row =>
        {
            var values = names.Select(row.Get).ToList();
            return values.Any(v => v is null) || seen.Add(string.Join("\u0001", values.Select(QueryValue.Format)));
        });
    }
}

/// <summary>`unmask(@message)`: Nephele masks nothing (no data protection policies), so rows pass unchanged.</summary>
internal sealed class UnmaskCommand : QueryCommand
{
    public override IEnumerable<QueryRow> Run(IEnumerable<QueryRow> rows, QueryShape shape) => rows;
}
