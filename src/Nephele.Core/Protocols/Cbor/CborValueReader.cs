using System.Formats.Cbor;
using System.Globalization;
using System.Numerics;
using Nephele.Core.Models;

namespace Nephele.Core.Protocols.Cbor;

/// <summary>
/// Reads Smithy RPC v2 CBOR into protocol values (see <see cref="IWireProtocol"/>), driven by the shape:
/// definite and indefinite maps, arrays and strings, every float width, integers where floats are
/// modeled, tag-1 timestamps. Unknown members are skipped and nulls dropped from structures; lists and
/// maps keep their nulls. Anything malformed is a SerializationException (400).
/// </summary>
public static class CborValueReader
{
    // Recursive shapes and documents could otherwise nest until the stack overflows.
    internal const int MaxDepth = 128;

    /// <summary>Reads a whole body as the structure <paramref name="shape"/>; an empty body is an empty structure.</summary>
    public static Dictionary<string, object?> ReadStructure(Shape shape, ReadOnlyMemory<byte> cbor)
    {
        if (cbor.IsEmpty) return [];
        return Guard(() =>
        {
            // Strict: well-formed as in Lax, plus valid UTF-8 and no repeated map keys.
            var reader = new CborReader(cbor, CborConformanceMode.Strict);
            SkipSelfDescribeTag(reader);
            if (reader.PeekState() != CborReaderState.StartMap)
                throw Malformed($"Expected a CBOR map for {shape.Name}, found {Describe(reader.PeekState())}.");
            var value = ReadStructure(reader, shape, 0);
            if (reader.BytesRemaining > 0) throw Malformed("Unexpected data after the top-level CBOR map.");
            return value;
        });
    }

    /// <summary>Reads one data item (the whole of <paramref name="cbor"/>) as <paramref name="shape"/>.</summary>
    public static object? ReadValue(Shape shape, ReadOnlyMemory<byte> cbor) => Guard(() =>
    {
        var reader = new CborReader(cbor, CborConformanceMode.Strict);
        var value = ReadValue(reader, shape, 0, shape.Name);
        if (reader.BytesRemaining > 0) throw Malformed("Unexpected data after the CBOR value.");
        return value;
    });

    internal static AwsException Malformed(string message) => new("SerializationException", message, 400);

    private static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (CborContentException e)
        {
            throw Malformed($"Malformed CBOR: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            throw Malformed($"Malformed CBOR: {e.Message}");
        }
        catch (FormatException e)
        {
            throw Malformed($"Malformed CBOR: {e.Message}");
        }
        catch (OverflowException)
        {
            throw Malformed("Malformed CBOR: a number is out of range.");
        }
    }

    /// <summary>Reads one value; <paramref name="context"/> names the member for error messages.</summary>
    internal static object? ReadValue(CborReader reader, Shape shape, int depth, string context)
    {
        if (depth > MaxDepth) throw Malformed($"CBOR nesting is deeper than {MaxDepth} levels.");
        SkipSelfDescribeTag(reader);
        var state = reader.PeekState();
        if (state == CborReaderState.Null)
        {
            reader.ReadNull();
            return null;
        }
        if (state == CborReaderState.SimpleValue)
        {
            // undefined is how some encoders write an absent value.
            if (reader.ReadSimpleValue() == CborSimpleValue.Undefined) return null;
            throw Mismatch(context, "a value", state);
        }
        if (shape.IsDocument) return CborDocuments.Read(reader, depth);
        return shape.Type switch
        {
            ShapeType.Structure => Expect(reader, CborReaderState.StartMap, context, "a map") ? ReadStructure(reader, shape, depth) : null,
            ShapeType.Map => Expect(reader, CborReaderState.StartMap, context, "a map") ? ReadMap(reader, shape, depth) : null,
            ShapeType.List => Expect(reader, CborReaderState.StartArray, context, "an array") ? ReadList(reader, shape, depth) : null,
            ShapeType.String => ReadText(reader, context),
            ShapeType.Blob => ReadBytes(reader, context),
            ShapeType.Boolean => Expect(reader, CborReaderState.Boolean, context, "a boolean") && reader.ReadBoolean(),
            ShapeType.Byte => ReadInteger(reader, context, sbyte.MinValue, sbyte.MaxValue),
            ShapeType.Short => ReadInteger(reader, context, short.MinValue, short.MaxValue),
            ShapeType.Integer => ReadInteger(reader, context, int.MinValue, int.MaxValue),
            ShapeType.Long => ReadInteger(reader, context, long.MinValue, long.MaxValue),
            ShapeType.Float or ShapeType.Double => ReadFloat(reader, context),
            ShapeType.BigInteger => ReadBigInteger(reader, context),
            ShapeType.BigDecimal => ReadBigDecimal(reader, context),
            ShapeType.Timestamp => ReadTimestamp(reader, context),
            _ => throw new InvalidOperationException($"Unsupported shape type {shape.Type}."),
        };
    }

    private static Dictionary<string, object?> ReadStructure(CborReader reader, Shape shape, int depth)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var count = reader.ReadStartMap();
        for (var i = 0; count is null ? reader.PeekState() != CborReaderState.EndMap : i < count; i++)
        {
            var key = ReadKey(reader, shape.Name);
            var member = shape.FindMember(key);
            if (member is null)
            {
                reader.SkipValue();
                continue;
            }
            var value = ReadValue(reader, member.Shape, depth + 1, member.Name);
            if (value is not null) result[member.Name] = value;
        }
        reader.ReadEndMap();
        return result;
    }

    private static Dictionary<string, object?> ReadMap(CborReader reader, Shape shape, int depth)
    {
        var valueShape = shape.Value?.Shape ?? throw new InvalidOperationException($"Map {shape.Name} has no value shape.");
        var count = reader.ReadStartMap();
        var result = new Dictionary<string, object?>(count ?? 4, StringComparer.Ordinal);
        for (var i = 0; count is null ? reader.PeekState() != CborReaderState.EndMap : i < count; i++)
        {
            var key = ReadKey(reader, shape.Name);
            result[key] = ReadValue(reader, valueShape, depth + 1, shape.Name);
        }
        reader.ReadEndMap();
        return result;
    }

    private static List<object?> ReadList(CborReader reader, Shape shape, int depth)
    {
        var memberShape = shape.Member?.Shape ?? throw new InvalidOperationException($"List {shape.Name} has no member shape.");
        var count = reader.ReadStartArray();
        var result = new List<object?>(count ?? 4);
        for (var i = 0; count is null ? reader.PeekState() != CborReaderState.EndArray : i < count; i++)
            result.Add(ReadValue(reader, memberShape, depth + 1, shape.Name));
        reader.ReadEndArray();
        return result;
    }

    private static string ReadKey(CborReader reader, string context)
    {
        var state = reader.PeekState();
        if (state is CborReaderState.TextString or CborReaderState.StartIndefiniteLengthTextString) return reader.ReadTextString();
        throw Malformed($"Keys of {context} must be text strings, found {Describe(state)}.");
    }

    private static string ReadText(CborReader reader, string context)
    {
        var state = reader.PeekState();
        if (state is CborReaderState.TextString or CborReaderState.StartIndefiniteLengthTextString) return reader.ReadTextString();
        throw Mismatch(context, "a text string", state);
    }

    private static byte[] ReadBytes(CborReader reader, string context)
    {
        var state = reader.PeekState();
        if (state is CborReaderState.ByteString or CborReaderState.StartIndefiniteLengthByteString) return reader.ReadByteString();
        throw Mismatch(context, "a byte string", state);
    }

    private static long ReadInteger(CborReader reader, string context, long min, long max)
    {
        long value;
        var state = reader.PeekState();
        switch (state)
        {
            case CborReaderState.UnsignedInteger:
                var u = reader.ReadUInt64();
                if (u > long.MaxValue) throw OutOfRange(context);
                value = (long)u;
                break;
            case CborReaderState.NegativeInteger:
                // The encoded n means -1 - n; n above long.MaxValue is below long.MinValue.
                var n = reader.ReadCborNegativeIntegerRepresentation();
                if (n > long.MaxValue) throw OutOfRange(context);
                value = -1 - (long)n;
                break;
            case CborReaderState.HalfPrecisionFloat or CborReaderState.SinglePrecisionFloat or CborReaderState.DoublePrecisionFloat:
                var d = reader.ReadDouble();
                if (!double.IsFinite(d) || Math.Floor(d) != d) throw Malformed($"Member {context} must be an integer, found {d.ToString(CultureInfo.InvariantCulture)}.");
                if (d < -9.2233720368547758E18 || d >= 9.2233720368547758E18) throw OutOfRange(context);
                value = (long)d;
                break;
            default:
                throw Mismatch(context, "an integer", state);
        }
        if (value < min || value > max) throw OutOfRange(context);
        return value;
    }

    private static double ReadFloat(CborReader reader, string context)
    {
        var state = reader.PeekState();
        return state switch
        {
            CborReaderState.HalfPrecisionFloat or CborReaderState.SinglePrecisionFloat or CborReaderState.DoublePrecisionFloat => reader.ReadDouble(),
            // Clients may send a whole number where a float is modeled.
            CborReaderState.UnsignedInteger => reader.ReadUInt64(),
            CborReaderState.NegativeInteger => -1d - reader.ReadCborNegativeIntegerRepresentation(),
            _ => throw Mismatch(context, "a number", state),
        };
    }

    private static BigInteger ReadBigInteger(CborReader reader, string context)
    {
        var state = reader.PeekState();
        return state switch
        {
            CborReaderState.UnsignedInteger => reader.ReadUInt64(),
            CborReaderState.NegativeInteger => BigInteger.MinusOne - reader.ReadCborNegativeIntegerRepresentation(),
            CborReaderState.Tag when reader.PeekTag() is CborTag.UnsignedBigNum or CborTag.NegativeBigNum => reader.ReadBigInteger(),
            _ => throw Mismatch(context, "an integer", state),
        };
    }

    private static decimal ReadBigDecimal(CborReader reader, string context)
    {
        var state = reader.PeekState();
        return state switch
        {
            CborReaderState.Tag when reader.PeekTag() == CborTag.DecimalFraction => reader.ReadDecimal(),
            CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger => (decimal)ReadBigInteger(reader, context),
            CborReaderState.HalfPrecisionFloat or CborReaderState.SinglePrecisionFloat or CborReaderState.DoublePrecisionFloat => (decimal)reader.ReadDouble(),
            _ => throw Mismatch(context, "a decimal number", state),
        };
    }

    private static DateTimeOffset ReadTimestamp(CborReader reader, string context)
    {
        var state = reader.PeekState();
        if (state == CborReaderState.Tag)
        {
            var tag = reader.ReadTag();
            if (tag == CborTag.DateTimeString)
                return DateTimeOffset.Parse(ReadText(reader, context), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            if (tag != CborTag.UnixTimeSeconds) throw Malformed($"Member {context} must be a timestamp (tag 1), found tag {(ulong)tag}.");
        }
        var seconds = ReadFloat(reader, context);
        // Smithy timestamps have millisecond resolution.
        var millis = Math.Round(seconds * 1000);
        if (!double.IsFinite(millis) || millis < MinUnixMillis || millis > MaxUnixMillis)
            throw Malformed($"Member {context} is not a valid timestamp: {seconds.ToString(CultureInfo.InvariantCulture)}.");
        return DateTimeOffset.FromUnixTimeMilliseconds((long)millis);
    }

    private static readonly double MinUnixMillis = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly double MaxUnixMillis = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>Tag 55799 only says "this is CBOR"; it may precede any item.</summary>
    internal static void SkipSelfDescribeTag(CborReader reader)
    {
        while (reader.PeekState() == CborReaderState.Tag && reader.PeekTag() == CborTag.SelfDescribeCbor) reader.ReadTag();
    }

    private static bool Expect(CborReader reader, CborReaderState expected, string context, string what)
    {
        var state = reader.PeekState();
        return state == expected ? true : throw Mismatch(context, what, state);
    }

    private static AwsException Mismatch(string context, string expected, CborReaderState found)
        => Malformed($"Member {context} must be {expected}, found {Describe(found)}.");

    private static AwsException OutOfRange(string context) => Malformed($"Member {context} is out of range for its type.");

    internal static string Describe(CborReaderState state) => state switch
    {
        CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger => "an integer",
        CborReaderState.ByteString or CborReaderState.StartIndefiniteLengthByteString => "a byte string",
        CborReaderState.TextString or CborReaderState.StartIndefiniteLengthTextString => "a text string",
        CborReaderState.StartArray => "an array",
        CborReaderState.StartMap => "a map",
        CborReaderState.Tag => "a tagged item",
        CborReaderState.HalfPrecisionFloat or CborReaderState.SinglePrecisionFloat or CborReaderState.DoublePrecisionFloat => "a float",
        CborReaderState.Boolean => "a boolean",
        CborReaderState.Null => "null",
        CborReaderState.Finished => "the end of the data",
        _ => state.ToString(),
    };
}
