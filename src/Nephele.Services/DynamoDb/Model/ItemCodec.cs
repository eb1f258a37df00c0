using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Nephele.Services.DynamoDb.Model;

/// <summary>
/// The stored form of an item: a compact binary encoding (type tag, length-prefixed payloads), faster to read
/// and write than DynamoDB JSON and free of reflection, as Native AOT requires.
/// </summary>
public static class ItemCodec
{
    public static byte[] Encode(IReadOnlyDictionary<string, AttributeValue> item)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteMap(buffer, item);
        return buffer.WrittenSpan.ToArray();
    }

    public static Dictionary<string, AttributeValue> Decode(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        return ReadMap(bytes, ref offset);
    }

    private static void WriteMap(ArrayBufferWriter<byte> w, IReadOnlyDictionary<string, AttributeValue> map)
    {
        WriteLength(w, map.Count);
        foreach (var (name, value) in map)
        {
            WriteString(w, name);
            WriteValue(w, value);
        }
    }

    private static void WriteValue(ArrayBufferWriter<byte> w, AttributeValue v)
    {
        w.GetSpan(1)[0] = (byte)v.Type;
        w.Advance(1);
        switch (v.Type)
        {
            case AttributeType.S: WriteString(w, v.S!); break;
            case AttributeType.N: WriteString(w, v.N.ToString()); break;
            case AttributeType.B: WriteBytes(w, v.B!); break;
            case AttributeType.BOOL:
                w.GetSpan(1)[0] = v.Bool ? (byte)1 : (byte)0;
                w.Advance(1);
                break;
            case AttributeType.NULL: break;
            case AttributeType.L:
                WriteLength(w, v.L!.Count);
                foreach (var e in v.L) WriteValue(w, e);
                break;
            case AttributeType.M: WriteMap(w, v.M!); break;
            case AttributeType.SS:
                WriteLength(w, v.SS!.Count);
                foreach (var s in v.SS) WriteString(w, s);
                break;
            case AttributeType.NS:
                WriteLength(w, v.NS!.Count);
                foreach (var n in v.NS) WriteString(w, n.ToString());
                break;
            case AttributeType.BS:
                WriteLength(w, v.BS!.Count);
                foreach (var b in v.BS) WriteBytes(w, b);
                break;
        }
    }

    private static void WriteLength(ArrayBufferWriter<byte> w, int length)
    {
        BinaryPrimitives.WriteInt32LittleEndian(w.GetSpan(4), length);
        w.Advance(4);
    }

    private static void WriteString(ArrayBufferWriter<byte> w, string s)
    {
        var count = Encoding.UTF8.GetByteCount(s);
        WriteLength(w, count);
        Encoding.UTF8.GetBytes(s, w.GetSpan(count));
        w.Advance(count);
    }

    private static void WriteBytes(ArrayBufferWriter<byte> w, byte[] b)
    {
        WriteLength(w, b.Length);
        w.Write(b);
    }

    private static Dictionary<string, AttributeValue> ReadMap(ReadOnlySpan<byte> r, ref int o)
    {
        var count = ReadLength(r, ref o);
        var map = new Dictionary<string, AttributeValue>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(r, ref o);
            map[name] = ReadValue(r, ref o);
        }
        return map;
    }

    private static AttributeValue ReadValue(ReadOnlySpan<byte> r, ref int o)
    {
        var type = (AttributeType)r[o++];
        switch (type)
        {
            case AttributeType.S: return AttributeValue.FromS(ReadString(r, ref o));
            case AttributeType.N: return AttributeValue.FromN(DynamoNumber.Parse(ReadString(r, ref o)));
            case AttributeType.B: return AttributeValue.FromB(ReadBytes(r, ref o));
            case AttributeType.BOOL: return AttributeValue.FromBool(r[o++] != 0);
            case AttributeType.NULL: return AttributeValue.Null;
            case AttributeType.L:
                {
                    var n = ReadLength(r, ref o);
                    var list = new List<AttributeValue>(n);
                    for (var i = 0; i < n; i++) list.Add(ReadValue(r, ref o));
                    return AttributeValue.FromL(list);
                }
            case AttributeType.M: return AttributeValue.FromM(ReadMap(r, ref o));
            case AttributeType.SS:
                {
                    var n = ReadLength(r, ref o);
                    var list = new List<string>(n);
                    for (var i = 0; i < n; i++) list.Add(ReadString(r, ref o));
                    return AttributeValue.FromSS(list);
                }
            case AttributeType.NS:
                {
                    var n = ReadLength(r, ref o);
                    var list = new List<DynamoNumber>(n);
                    for (var i = 0; i < n; i++) list.Add(DynamoNumber.Parse(ReadString(r, ref o)));
                    return AttributeValue.FromNS(list);
                }
            default:
                {
                    var n = ReadLength(r, ref o);
                    var list = new List<byte[]>(n);
                    for (var i = 0; i < n; i++) list.Add(ReadBytes(r, ref o));
                    return AttributeValue.FromBS(list);
                }
        }
    }

    private static int ReadLength(ReadOnlySpan<byte> r, ref int o)
    {
        var n = BinaryPrimitives.ReadInt32LittleEndian(r[o..]);
        o += 4;
        return n;
    }

    private static string ReadString(ReadOnlySpan<byte> r, ref int o)
    {
        var n = ReadLength(r, ref o);
        var s = Encoding.UTF8.GetString(r.Slice(o, n));
        o += n;
        return s;
    }

    private static byte[] ReadBytes(ReadOnlySpan<byte> r, ref int o)
    {
        var n = ReadLength(r, ref o);
        var b = r.Slice(o, n).ToArray();
        o += n;
        return b;
    }
}
