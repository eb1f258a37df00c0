using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.DynamoDb.Expressions;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb.PartiQl;

/// <summary>
/// What a WHERE clause says about keys: the full primary key a write names, and the key ranges a SELECT reads
/// (a Query per partition named by = or IN on the partition key, narrowed by one sort key condition; otherwise a
/// Scan). The whole WHERE is still applied to every item read, so pushing a condition down only saves reads.
/// </summary>
internal static class PartiQlKeys
{
    public static List<Condition> Conjuncts(Condition? where)
    {
        var list = new List<Condition>();
        void Walk(Condition c)
        {
            if (c is AndCondition a)
            {
                Walk(a.Left);
                Walk(a.Right);
            }
            else
            {
                list.Add(c);
            }
        }
        if (where is not null) Walk(where);
        return list;
    }

    /// <summary>The value an "attr = value" conjunct (either way round) gives a top-level attribute, or null.</summary>
    public static AttributeValue? EqualityOn(Condition c, string attribute) => c switch
    {
        CompareCondition { Operator: "=", Left: PathOperand p, Right: ValueOperand v } when IsAttribute(p, attribute) => v.Value,
        CompareCondition { Operator: "=", Left: ValueOperand v, Right: PathOperand p } when IsAttribute(p, attribute) => v.Value,
        _ => null,
    };

    public static bool IsAttribute(PathOperand p, string attribute) => p.Path.Elements.Count == 1 && p.Path.Root == attribute;

    /// <summary>The full primary key named by equalities in the top-level AND of a write's WHERE, or DynamoDB's error.</summary>
    public static Dictionary<string, AttributeValue> KeyOf(TableRecord table, Condition? where)
    {
        var conjuncts = Conjuncts(where);
        var key = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var k in table.KeySchema)
        {
            var value = conjuncts.Select(c => EqualityOn(c, k.AttributeName)).FirstOrDefault(v => v is not null)
                ?? throw AwsException.Validation(PartiQlErrors.IncompleteKey);
            key[k.AttributeName] = value;
        }
        return key;
    }

    /// <summary>True when the WHERE pins the partition key with = or IN (the read is then a Query).</summary>
    public static bool Keyed(Condition? where, string hashKey) => Conjuncts(where).Any(c => HashValues(c, hashKey) is not null);

    private static List<AttributeValue>? HashValues(Condition c, string hashKey)
    {
        if (EqualityOn(c, hashKey) is { } v) return [v];
        if (c is InCondition { Value: PathOperand p } i && IsAttribute(p, hashKey) && i.Candidates.All(x => x is ValueOperand))
            return i.Candidates.Select(x => ((ValueOperand)x).Value).ToList();
        return null;
    }

    /// <summary>The key ranges of the table or index to read, in reading order.</summary>
    public static List<KeyRange> Ranges(TableRecord table, string hashKey, string? rangeKey, Condition? where, bool descending)
    {
        var conjuncts = Conjuncts(where);
        var values = conjuncts.Select(c => HashValues(c, hashKey)).FirstOrDefault(v => v is not null);
        if (values is null) return [new KeyRange(null, false, null, false, descending)];
        var hashType = table.AttributeType(hashKey);
        var ordered = values.Where(v => v.Type.ToString() == hashType)
            .DistinctBy(KeyEncoding.Hex).OrderBy(KeyEncoding.Hex, StringComparer.Ordinal).ToList();
        if (descending) ordered.Reverse();
        var sort = rangeKey is null ? null : conjuncts.Select(c => SortCondition(c, rangeKey, table.AttributeType(rangeKey))).FirstOrDefault(s => s is not null);
        var ranges = new List<KeyRange>();
        foreach (var value in ordered)
        {
            Condition hash = new CompareCondition("=", new PathOperand(Single(hashKey)), new ValueOperand(value, "?"));
            KeyRange range;
            try
            {
                range = KeyConditions.Range(sort is null ? hash : new AndCondition(hash, sort), table, hashKey, rangeKey);
            }
            catch (AwsException)
            {
                // A sort condition the key range cannot express (an inverted BETWEEN) stays a filter only.
                range = KeyConditions.Range(hash, table, hashKey, rangeKey);
            }
            ranges.Add(range with { Descending = descending });
        }
        return ranges;
    }

    private static DocumentPath Single(string name) => new([new PathElement(name, 0)]);

    /// <summary>A conjunct on the sort key that a key range can express, rewritten with the path on the left.</summary>
    private static Condition? SortCondition(Condition c, string rangeKey, string type)
    {
        bool Typed(Operand o) => o is ValueOperand v && v.Value.Type.ToString() == type;
        switch (c)
        {
            case CompareCondition { Operator: not "<>", Left: PathOperand p } cc when IsAttribute(p, rangeKey) && Typed(cc.Right):
                return cc;
            case CompareCondition { Operator: not "<>", Right: PathOperand p } cc when IsAttribute(p, rangeKey) && Typed(cc.Left):
                var flipped = cc.Operator switch { "<" => ">", "<=" => ">=", ">" => "<", ">=" => "<=", _ => "=" };
                return new CompareCondition(flipped, cc.Right, cc.Left);
            case BetweenCondition { Value: PathOperand p } b when IsAttribute(p, rangeKey) && Typed(b.Low) && Typed(b.High):
                return b;
            case FunctionCondition { Name: "begins_with" } f when type != "N" && f.Arguments[0] is PathOperand p && IsAttribute(p, rangeKey) && Typed(f.Arguments[1]):
                return f;
            default:
                return null;
        }
    }

    /// <summary>Top-level attribute names a condition reads.</summary>
    public static IEnumerable<string> Roots(Condition c) => c switch
    {
        AndCondition a => Roots(a.Left).Concat(Roots(a.Right)),
        OrCondition o => Roots(o.Left).Concat(Roots(o.Right)),
        NotCondition n => Roots(n.Inner),
        CompareCondition cc => Roots(cc.Left).Concat(Roots(cc.Right)),
        BetweenCondition b => Roots(b.Value).Concat(Roots(b.Low)).Concat(Roots(b.High)),
        InCondition i => Roots(i.Value).Concat(i.Candidates.SelectMany(Roots)),
        FunctionCondition f => f.Arguments.SelectMany(Roots),
        _ => [],
    };

    private static IEnumerable<string> Roots(Operand o) => o switch
    {
        PathOperand p => [p.Path.Root],
        SizeOperand s => [s.Path.Root],
        _ => [],
    };
}
