using System.Text.RegularExpressions;

namespace Nephele.Services.Logs.Insights;

/// <summary>One record flowing through a query: its fields in discovery order and, for log events, its @ptr.</summary>
internal sealed class QueryRow
{
    public Dictionary<string, object?> Fields { get; init; } = new(StringComparer.Ordinal);
    public string? Ptr { get; init; }
    /// <summary>The values of a stats command's aggregates for the group this row stands for.</summary>
    public Dictionary<AggregateExpr, object?>? Aggregates { get; set; }

    public object? Get(string field) => Fields.GetValueOrDefault(field);
}

/// <summary>An expression of the query language. <see cref="Text"/> is how it was written: the field name of an
/// unaliased `fields` or `stats` item.</summary>
internal abstract class QueryExpr
{
    public string Text { get; set; } = "";

    public abstract object? Eval(QueryRow row);

    public virtual IEnumerable<QueryExpr> Children => [];

    public IEnumerable<AggregateExpr> Aggregates()
    {
        if (this is AggregateExpr a) yield return a;
        foreach (var child in Children)
            foreach (var inner in child.Aggregates()) yield return inner;
    }
}

internal sealed class LiteralExpr(object? value) : QueryExpr
{
    public object? Value => value;
    public override object? Eval(QueryRow row) => value;
}

internal sealed class FieldExpr(string name) : QueryExpr
{
    public string Name => name;
    public override object? Eval(QueryRow row) => row.Get(name);
}

internal sealed class RegexExpr(Regex regex) : QueryExpr
{
    public Regex Regex => regex;
    public override object? Eval(QueryRow row) => regex.ToString();
}

internal sealed class ListExpr(List<QueryExpr> items) : QueryExpr
{
    public List<QueryExpr> Items => items;
    public override IEnumerable<QueryExpr> Children => items;
    public override object? Eval(QueryRow row) => null;
}

internal sealed class UnaryExpr(string op, QueryExpr operand) : QueryExpr
{
    public override IEnumerable<QueryExpr> Children => [operand];

    public override object? Eval(QueryRow row)
    {
        var v = operand.Eval(row);
        return op == "not" ? !QueryValue.Truthy(v) : QueryValue.Number(v) is { } n ? -n : null;
    }
}

internal sealed class BinaryExpr(string op, QueryExpr left, QueryExpr right) : QueryExpr
{
    public override IEnumerable<QueryExpr> Children => [left, right];

    public override object? Eval(QueryRow row)
    {
        switch (op)
        {
            case "and": return QueryValue.Truthy(left.Eval(row)) && QueryValue.Truthy(right.Eval(row));
            case "or": return QueryValue.Truthy(left.Eval(row)) || QueryValue.Truthy(right.Eval(row));
        }
        var a = left.Eval(row);
        var b = right.Eval(row);
        switch (op)
        {
            case "=": return QueryValue.Equal(a, b);
            case "!=": return a is not null && b is not null && !QueryValue.Equal(a, b);
            case "<": return QueryValue.Compare(a, b) < 0;
            case "<=": return QueryValue.Compare(a, b) <= 0;
            case ">": return QueryValue.Compare(a, b) > 0;
            case ">=": return QueryValue.Compare(a, b) >= 0;
        }
        // Time arithmetic: a time plus or minus a duration or a number of milliseconds stays a time.
        if (a is DateTimeOffset t && op is "+" or "-" && QueryValue.Number(b) is { } ms)
            return t.AddMilliseconds(op == "+" ? ms : -ms);
        if (QueryValue.Number(a) is not { } x || QueryValue.Number(b) is not { } y) return null;
        return op switch
        {
            "+" => x + y,
            "-" => x - y,
            "*" => x * y,
            "/" => y == 0 ? null : x / y,
            "%" => y == 0 ? null : x % y,
            "^" => Math.Pow(x, y),
            _ => null,
        };
    }
}

/// <summary>`like "text"` (contains, case-sensitive), `like /regex/` and `=~ /regex/` (a match anywhere).</summary>
internal sealed class LikeExpr(QueryExpr subject, QueryExpr pattern, bool negated) : QueryExpr
{
    public override IEnumerable<QueryExpr> Children => [subject, pattern];

    public override object? Eval(QueryRow row)
    {
        if (QueryValue.Text(subject.Eval(row)) is not { } text) return negated;
        var found = pattern is RegexExpr r ? r.Regex.IsMatch(text) : QueryValue.Text(pattern.Eval(row)) is { } s && text.Contains(s, StringComparison.Ordinal);
        return found != negated;
    }
}

internal sealed class InExpr(QueryExpr subject, ListExpr list, bool negated) : QueryExpr
{
    public override IEnumerable<QueryExpr> Children => [subject, list];

    public override object? Eval(QueryRow row)
    {
        var v = subject.Eval(row);
        if (v is null) return negated;
        return list.Items.Any(i => QueryValue.Equal(v, i.Eval(row))) != negated;
    }
}

internal sealed class CallExpr(string name, List<QueryExpr> args) : QueryExpr
{
    public string Name => name;
    public List<QueryExpr> Args => args;
    public override IEnumerable<QueryExpr> Children => args;
    // After stats, `bin(5m)` or `count(*)` name the columns stats produced.
    public override object? Eval(QueryRow row) => row.Fields.TryGetValue(Text, out var column) ? column : QueryFunctions.Call(name, args, row);
}

/// <summary>An aggregate function of stats (count, sum, pct...); its value comes from the row's group.</summary>
internal sealed class AggregateExpr(string name, List<QueryExpr> args) : QueryExpr
{
    public string Name => name;
    public List<QueryExpr> Args => args;
    public override IEnumerable<QueryExpr> Children => [];
    public override object? Eval(QueryRow row) => row.Aggregates?.GetValueOrDefault(this);
}
