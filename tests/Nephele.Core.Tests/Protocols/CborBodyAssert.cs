using System.Formats.Cbor;
using System.Globalization;
using System.Numerics;

namespace Nephele.Core.Tests.Protocols;

/// <summary>
/// Compares CBOR bodies by meaning, as a client reads them: map order, definite or indefinite lengths,
/// chunked strings and float widths do not matter; null map entries count as absent; an empty body is an
/// empty map; and an error's <c>__type</c> is compared after its '#' (SDKs drop the namespace).
/// </summary>
public static class CborBodyAssert
{
    public static void Equal(byte[] expected, byte[] actual, string id)
    {
        var e = Decode(expected);
        var a = Decode(actual);
        Assert.True(DeepEquals(e, a), $"{id}: expected CBOR {Show(e)}\n got {Show(a)}");
    }

    private sealed record Int(BigInteger Value);
    private sealed record Float(double Value);
    private sealed record Time(long Millis);
    private sealed record Tagged(ulong Tag, object? Content);
    private sealed record Simple(byte Value);

    public static object? Decode(byte[] bytes)
    {
        if (bytes.Length == 0) return new SortedDictionary<string, object?>(StringComparer.Ordinal);
        var reader = new CborReader(bytes, CborConformanceMode.Lax);
        var value = Read(reader);
        Assert.Equal(0, reader.BytesRemaining);
        return value;
    }

    private static object? Read(CborReader r)
    {
        switch (r.PeekState())
        {
            case CborReaderState.StartMap:
                var map = new SortedDictionary<string, object?>(StringComparer.Ordinal);
                var count = r.ReadStartMap();
                for (var i = 0; count is null ? r.PeekState() != CborReaderState.EndMap : i < count; i++)
                {
                    var k = Read(r);
                    var key = k as string ?? Show(k);
                    var value = Read(r);
                    if (key == "__type" && value is string type) value = type[(type.IndexOf('#', StringComparison.Ordinal) + 1)..];
                    if (value is not null) map[key] = value;
                }
                r.ReadEndMap();
                return map;
            case CborReaderState.StartArray:
                var list = new List<object?>();
                var length = r.ReadStartArray();
                for (var i = 0; length is null ? r.PeekState() != CborReaderState.EndArray : i < length; i++) list.Add(Read(r));
                r.ReadEndArray();
                return list;
            case CborReaderState.UnsignedInteger:
                return new Int(r.ReadUInt64());
            case CborReaderState.NegativeInteger:
                return new Int(BigInteger.MinusOne - r.ReadCborNegativeIntegerRepresentation());
            case CborReaderState.HalfPrecisionFloat or CborReaderState.SinglePrecisionFloat or CborReaderState.DoublePrecisionFloat:
                return new Float(r.ReadDouble());
            case CborReaderState.TextString or CborReaderState.StartIndefiniteLengthTextString:
                return r.ReadTextString();
            case CborReaderState.ByteString or CborReaderState.StartIndefiniteLengthByteString:
                return r.ReadByteString();
            case CborReaderState.Boolean:
                return r.ReadBoolean();
            case CborReaderState.Null:
                r.ReadNull();
                return null;
            case CborReaderState.SimpleValue:
                return new Simple((byte)r.ReadSimpleValue());
            case CborReaderState.Tag:
                var tag = r.ReadTag();
                var content = Read(r);
                // Epoch seconds may be an integer or any float width; both mean the same instant.
                if (tag == CborTag.UnixTimeSeconds && content is Int or Float)
                    return new Time((long)Math.Round((content is Int i ? (double)i.Value : ((Float)content).Value) * 1000));
                return new Tagged((ulong)tag, content);
            case var state:
                throw new InvalidDataException($"Unexpected CBOR state {state}.");
        }
    }

    private static bool DeepEquals(object? e, object? a) => (e, a) switch
    {
        (null, null) => true,
        (SortedDictionary<string, object?> em, SortedDictionary<string, object?> am) =>
            em.Count == am.Count && em.All(kv => am.TryGetValue(kv.Key, out var v) && DeepEquals(kv.Value, v)),
        (List<object?> el, List<object?> al) => el.Count == al.Count && el.Zip(al).All(p => DeepEquals(p.First, p.Second)),
        (byte[] eb, byte[] ab) => eb.AsSpan().SequenceEqual(ab),
        (Tagged et, Tagged at) => et.Tag == at.Tag && DeepEquals(et.Content, at.Content),
        _ => Equals(e, a),
    };

    public static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        byte[] bytes => $"h'{Convert.ToHexString(bytes)}'",
        Int i => i.Value.ToString(CultureInfo.InvariantCulture),
        Float f => f.Value.ToString("R", CultureInfo.InvariantCulture) + "f",
        Time t => $"1({t.Millis / 1000d:R})",
        Tagged t => $"{t.Tag}({Show(t.Content)})",
        Simple s => $"simple({s.Value})",
        SortedDictionary<string, object?> map => "{" + string.Join(", ", map.Select(kv => $"\"{kv.Key}\": {Show(kv.Value)}")) + "}",
        List<object?> list => "[" + string.Join(", ", list.Select(Show)) + "]",
        _ => value.ToString() ?? "",
    };
}
