namespace Nephele.Services.DynamoDb.Model;

public enum AttributeType : byte { S, N, B, BOOL, NULL, L, M, SS, NS, BS }

/// <summary>
/// One DynamoDB attribute value. Immutable once built; maps keep insertion order only for convenience,
/// equality ignores it. Sets hold distinct elements (validated on input).
/// </summary>
public sealed class AttributeValue : IEquatable<AttributeValue>
{
    public AttributeType Type { get; }
    public string? S { get; private init; }
    public DynamoNumber N { get; private init; }
    public byte[]? B { get; private init; }
    public bool Bool { get; private init; }
    public List<AttributeValue>? L { get; private init; }
    public Dictionary<string, AttributeValue>? M { get; private init; }
    public List<string>? SS { get; private init; }
    public List<DynamoNumber>? NS { get; private init; }
    public List<byte[]>? BS { get; private init; }

    private AttributeValue(AttributeType type) => Type = type;

    public static AttributeValue FromS(string s) => new(AttributeType.S) { S = s };
    public static AttributeValue FromN(DynamoNumber n) => new(AttributeType.N) { N = n };
    public static AttributeValue FromB(byte[] b) => new(AttributeType.B) { B = b };
    public static AttributeValue FromBool(bool b) => new(AttributeType.BOOL) { Bool = b };
    public static readonly AttributeValue Null = new(AttributeType.NULL) { Bool = true };
    public static AttributeValue FromL(List<AttributeValue> l) => new(AttributeType.L) { L = l };
    public static AttributeValue FromM(Dictionary<string, AttributeValue> m) => new(AttributeType.M) { M = m };
    public static AttributeValue FromSS(List<string> ss) => new(AttributeType.SS) { SS = ss };
    public static AttributeValue FromNS(List<DynamoNumber> ns) => new(AttributeType.NS) { NS = ns };
    public static AttributeValue FromBS(List<byte[]> bs) => new(AttributeType.BS) { BS = bs };

    public bool IsSet => Type is AttributeType.SS or AttributeType.NS or AttributeType.BS;

    /// <summary>Number of elements of a set, list or map (what size() answers for them).</summary>
    public int Count => Type switch
    {
        AttributeType.L => L!.Count,
        AttributeType.M => M!.Count,
        AttributeType.SS => SS!.Count,
        AttributeType.NS => NS!.Count,
        AttributeType.BS => BS!.Count,
        _ => 0,
    };

    public bool Equals(AttributeValue? other)
    {
        if (other is null || other.Type != Type) return false;
        if (ReferenceEquals(this, other)) return true;
        switch (Type)
        {
            case AttributeType.S: return S == other.S;
            case AttributeType.N: return N.Equals(other.N);
            case AttributeType.B: return B.AsSpan().SequenceEqual(other.B);
            case AttributeType.BOOL or AttributeType.NULL: return Bool == other.Bool;
            case AttributeType.L: return L!.Count == other.L!.Count && L.Zip(other.L).All(p => p.First.Equals(p.Second));
            case AttributeType.M:
                return M!.Count == other.M!.Count && M.All(kv => other.M.TryGetValue(kv.Key, out var v) && kv.Value.Equals(v));
            case AttributeType.SS: return SS!.Count == other.SS!.Count && SS.ToHashSet(StringComparer.Ordinal).SetEquals(other.SS);
            case AttributeType.NS: return NS!.Count == other.NS!.Count && NS.ToHashSet().SetEquals(other.NS);
            default:
                return BS!.Count == other.BS!.Count && BS.All(b => other.BS.Any(o => o.AsSpan().SequenceEqual(b)));
        }
    }

    public override bool Equals(object? obj) => Equals(obj as AttributeValue);

    public override int GetHashCode() => Type switch
    {
        AttributeType.S => S!.GetHashCode(StringComparison.Ordinal),
        AttributeType.N => N.GetHashCode(),
        AttributeType.B => B!.Length,
        _ => (int)Type,
    };
}
