using System.Collections;
using System.Formats.Cbor;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Nephele.Core.Models;

namespace Nephele.Core.Protocols.Cbor;

/// <summary>
/// Writes protocol values (see <see cref="IWireProtocol"/>) as Smithy RPC v2 CBOR, driven by the shape:
/// definite-length maps and arrays, integers and floats in their smallest lossless encoding (CborWriter
/// does that), timestamps as tag 1 with epoch seconds, blobs as byte strings. Null members of structures
/// are left out; nulls inside lists and maps are written, as sparse collections need them.
/// A value of the wrong CLR type is a bug in Nephele and throws InvalidOperationException.
/// </summary>
public static class CborValueWriter
{
    /// <summary>The CBOR encoding of the structure <paramref name="value"/>.</summary>
    public static byte[] Write(Shape shape, Dictionary<string, object?> value)
    {
        var writer = NewWriter();
        WriteStructure(writer, shape, value);
        return writer.Encode();
    }

    /// <summary>The CBOR encoding of one value of any shape.</summary>
    public static byte[] WriteValue(Shape shape, object? value)
    {
        var writer = NewWriter();
        WriteValue(writer, shape, value);
        return writer.Encode();
    }

    internal static CborWriter NewWriter() => new(CborConformanceMode.Lax, convertIndefiniteLengthEncodings: false);

    public static void WriteValue(CborWriter writer, Shape shape, object? value)
    {
        if (value is null)
        {
            writer.WriteNull();
            return;
        }
        if (shape.IsDocument)
        {
            CborDocuments.Write(writer, value as JsonNode ?? JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)));
            return;
        }
        switch (shape.Type)
        {
            case ShapeType.Structure:
                WriteStructure(writer, shape, AsStructure(shape, value));
                return;
            case ShapeType.List:
                WriteList(writer, shape, value);
                return;
            case ShapeType.Map:
                WriteMap(writer, shape, value);
                return;
            case ShapeType.String:
                writer.WriteTextString(value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                return;
            case ShapeType.Boolean:
                writer.WriteBoolean(value is bool b ? b : throw WrongType(shape, value));
                return;
            case ShapeType.Integer or ShapeType.Long or ShapeType.Short or ShapeType.Byte:
                WriteInteger(writer, shape, value);
                return;
            case ShapeType.Float:
                writer.WriteSingle((float)ToDouble(shape, value));
                return;
            case ShapeType.Double:
                writer.WriteDouble(ToDouble(shape, value));
                return;
            case ShapeType.BigInteger:
                WriteBigInteger(writer, value switch
                {
                    BigInteger big => big,
                    long l => l,
                    int i => i,
                    ulong ul => ul,
                    uint ui => ui,
                    short or sbyte or byte or ushort => Convert.ToInt64(value, CultureInfo.InvariantCulture),
                    _ => throw WrongType(shape, value),
                });
                return;
            case ShapeType.BigDecimal:
                writer.WriteDecimal(value is decimal m ? m : Convert.ToDecimal(value, CultureInfo.InvariantCulture));
                return;
            case ShapeType.Timestamp:
                writer.WriteTag(CborTag.UnixTimeSeconds);
                writer.WriteDouble(EpochSeconds(shape, value));
                return;
            case ShapeType.Blob:
                writer.WriteByteString(AsBytes(shape, value));
                return;
            default:
                throw new InvalidOperationException($"Unsupported shape type {shape.Type}.");
        }
    }

    private static void WriteStructure(CborWriter writer, Shape shape, Dictionary<string, object?> value)
    {
        writer.WriteStartMap(CountMembers(shape, value));
        WriteMembers(writer, shape, value);
        writer.WriteEndMap();
    }

    /// <summary>How many entries <see cref="WriteMembers"/> writes, for a definite-length map.</summary>
    internal static int CountMembers(Shape shape, Dictionary<string, object?> value)
    {
        var count = 0;
        foreach (var (name, v) in value)
            if (IsWritten(shape, name, v)) count++;
        return count;
    }

    /// <summary>Writes the members of a structure as map entries, without the map's start and end.</summary>
    internal static void WriteMembers(CborWriter writer, Shape shape, Dictionary<string, object?> value)
    {
        foreach (var (name, v) in value)
        {
            if (!IsWritten(shape, name, v)) continue;
            var member = shape.FindMember(name)!;
            writer.WriteTextString(member.Name);
            WriteValue(writer, member.Shape, v);
        }
    }

    // Keys that are not members are left out rather than failing a whole response; event streams
    // are not part of a CBOR body (they are sent as event stream messages).
    private static bool IsWritten(Shape shape, string name, object? value)
        => value is not null && shape.FindMember(name) is { } m && !m.Shape.IsEventStream;

    private static void WriteList(CborWriter writer, Shape shape, object value)
    {
        var memberShape = shape.Member?.Shape ?? throw new InvalidOperationException($"List {shape.Name} has no member shape.");
        if (value is string or byte[] or not IEnumerable) throw WrongType(shape, value);
        var items = value as ICollection ?? ((IEnumerable)value).Cast<object?>().ToList();
        writer.WriteStartArray(items.Count);
        foreach (var item in items) WriteValue(writer, memberShape, item);
        writer.WriteEndArray();
    }

    private static void WriteMap(CborWriter writer, Shape shape, object value)
    {
        var valueShape = shape.Value?.Shape ?? throw new InvalidOperationException($"Map {shape.Name} has no value shape.");
        if (value is Dictionary<string, object?> dict)
        {
            writer.WriteStartMap(dict.Count);
            foreach (var (k, v) in dict)
            {
                writer.WriteTextString(k);
                WriteValue(writer, valueShape, v);
            }
            writer.WriteEndMap();
            return;
        }
        // Handlers also hand over typed maps such as Dictionary<string, string>.
        if (value is not IDictionary map) throw WrongType(shape, value);
        writer.WriteStartMap(map.Count);
        foreach (DictionaryEntry entry in map)
        {
            writer.WriteTextString(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
            WriteValue(writer, valueShape, entry.Value);
        }
        writer.WriteEndMap();
    }

    private static void WriteInteger(CborWriter writer, Shape shape, object value)
    {
        switch (value)
        {
            case long l: writer.WriteInt64(l); break;
            case int i: writer.WriteInt32(i); break;
            case short s: writer.WriteInt32(s); break;
            case sbyte sb: writer.WriteInt32(sb); break;
            case byte by: writer.WriteUInt32(by); break;
            case ushort us: writer.WriteUInt32(us); break;
            case uint ui: writer.WriteUInt32(ui); break;
            case ulong ul: writer.WriteUInt64(ul); break;
            case double d when Math.Floor(d) == d && Math.Abs(d) < 9.2e18: writer.WriteInt64((long)d); break;
            case decimal m when decimal.Truncate(m) == m: writer.WriteInt64((long)m); break;
            case BigInteger big: WriteBigInteger(writer, big); break;
            default: throw WrongType(shape, value);
        }
    }

    private static void WriteBigInteger(CborWriter writer, BigInteger value)
    {
        if (value >= long.MinValue && value <= long.MaxValue) writer.WriteInt64((long)value);
        else if (value.Sign > 0 && value <= ulong.MaxValue) writer.WriteUInt64((ulong)value);
        else if (value.Sign < 0 && value >= -BigInteger.One - ulong.MaxValue) writer.WriteCborNegativeIntegerRepresentation((ulong)(-BigInteger.One - value));
        else writer.WriteBigInteger(value);
    }

    private static double ToDouble(Shape shape, object value) => value switch
    {
        double d => d,
        float f => f,
        long or int or short or sbyte or byte or ushort or uint or ulong or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        _ => throw WrongType(shape, value),
    };

    private static double EpochSeconds(Shape shape, object value)
    {
        var instant = value switch
        {
            DateTimeOffset o => o,
            DateTime d => new DateTimeOffset(d.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : d),
            _ => throw WrongType(shape, value),
        };
        // Millisecond resolution, like every Smithy timestamp.
        return instant.ToUnixTimeMilliseconds() / 1000d;
    }

    private static byte[] AsBytes(Shape shape, object value)
    {
        switch (value)
        {
            case byte[] bytes:
                return bytes;
            case ReadOnlyMemory<byte> rom:
                return rom.ToArray();
            case Memory<byte> mem:
                return mem.ToArray();
            case ArraySegment<byte> seg:
                return seg.ToArray();
            case string s:
                return Encoding.UTF8.GetBytes(s);
            case Stream stream:
                using (var buffer = new MemoryStream())
                {
                    stream.CopyTo(buffer);
                    return buffer.ToArray();
                }
            default:
                throw WrongType(shape, value);
        }
    }

    private static Dictionary<string, object?> AsStructure(Shape shape, object value)
        => value as Dictionary<string, object?> ?? throw WrongType(shape, value);

    private static InvalidOperationException WrongType(Shape shape, object value)
        => new($"A {value.GetType().Name} cannot be written as {shape.Name} ({shape.Type}).");
}
