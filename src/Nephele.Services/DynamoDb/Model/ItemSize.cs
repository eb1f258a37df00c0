using System.Numerics;
using System.Text;

namespace Nephele.Services.DynamoDb.Model;

/// <summary>
/// Item size as DynamoDB computes it for the 400 KB limit and capacity units: attribute names plus values
/// (strings and binaries by length, numbers about one byte per two significant digits plus one, one byte for
/// BOOL and NULL, three bytes plus one per element of a list or map).
/// </summary>
public static class ItemSize
{
    public const int MaxItemBytes = 400 * 1024;

    public static long Of(IReadOnlyDictionary<string, AttributeValue> item)
    {
        long size = 0;
        foreach (var (name, value) in item)
            size += Encoding.UTF8.GetByteCount(name) + Of(value);
        return size;
    }

    public static long Of(AttributeValue v) => v.Type switch
    {
        AttributeType.S => Encoding.UTF8.GetByteCount(v.S!),
        AttributeType.N => NumberSize(v.N),
        AttributeType.B => v.B!.Length,
        AttributeType.BOOL or AttributeType.NULL => 1,
        AttributeType.L => 3 + v.L!.Sum(e => 1 + Of(e)),
        AttributeType.M => 3 + v.M!.Sum(kv => 1 + Encoding.UTF8.GetByteCount(kv.Key) + Of(kv.Value)),
        AttributeType.SS => v.SS!.Sum(s => (long)Encoding.UTF8.GetByteCount(s)),
        AttributeType.NS => v.NS!.Sum(NumberSize),
        _ => v.BS!.Sum(b => (long)b.Length),
    };

    private static long NumberSize(DynamoNumber n)
    {
        if (n.IsZero) return 1;
        var digits = BigInteger.Abs(n.Coefficient).ToString().Length;
        return (digits + 1) / 2 + 1 + (n.Coefficient.Sign < 0 ? 1 : 0);
    }
}
