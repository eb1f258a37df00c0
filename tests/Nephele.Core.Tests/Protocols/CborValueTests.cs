using System.Formats.Cbor;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nephele.Core.Models;
using Nephele.Core.Protocols;
using Nephele.Core.Protocols.Cbor;

namespace Nephele.Core.Tests.Protocols;

/// <summary>CborValueReader and CborValueWriter on their own: round trips, encodings, leniency, and bad input.</summary>
public sealed class CborValueTests
{
    private static readonly ServiceModel Model = ServiceModel.Load(
        JsonDocument.Parse("""{"protocol": "smithy-rpc-v2-cbor"}""").RootElement,
        JsonDocument.Parse("""
        {
          "Everything": {"type": "structure", "members": {
            "Byte": {"shape": "Byte"}, "Short": {"shape": "Short"}, "Int": {"shape": "Integer"}, "Long": {"shape": "Long"},
            "Float": {"shape": "Float"}, "Double": {"shape": "Double"}, "Big": {"shape": "BigInt"}, "Dec": {"shape": "BigDec"},
            "Bool": {"shape": "Boolean"}, "Text": {"shape": "String"}, "Data": {"shape": "Blob"}, "When": {"shape": "Timestamp"},
            "Doc": {"shape": "Document"}, "Nested": {"shape": "Everything"}, "Texts": {"shape": "StringList"}, "Counts": {"shape": "CountMap"}}},
          "Byte": {"type": "byte"}, "Short": {"type": "short"}, "Integer": {"type": "integer"}, "Long": {"type": "long"},
          "Float": {"type": "float"}, "Double": {"type": "double"}, "BigInt": {"type": "bigInteger"}, "BigDec": {"type": "bigDecimal"},
          "Boolean": {"type": "boolean"}, "String": {"type": "string"}, "Blob": {"type": "blob"}, "Timestamp": {"type": "timestamp"},
          "Document": {"type": "structure", "members": {}, "document": true},
          "StringList": {"type": "list", "member": {"shape": "String"}},
          "CountMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "Long"}}
        }
        """).RootElement,
        []);

    private static Shape Everything => Model.GetShape("Everything");

    [Fact]
    public void Every_kind_of_value_survives_a_round_trip()
    {
        var value = new Dictionary<string, object?>
        {
            ["Byte"] = -128L,
            ["Short"] = 32767L,
            ["Int"] = -2147483648L,
            ["Long"] = long.MaxValue,
            ["Float"] = 7.625,
            ["Double"] = 1.889,
            ["Big"] = BigInteger.Pow(2, 100),
            ["Dec"] = 12345.678m,
            ["Bool"] = false,
            ["Text"] = "héllo ✓",
            ["Data"] = new byte[] { 0, 1, 255 },
            ["When"] = DateTimeOffset.FromUnixTimeMilliseconds(1_398_796_238_123),
            ["Doc"] = JsonNode.Parse("""{"a": [1, 2.5, "x", true, null], "b": {}}"""),
            ["Nested"] = new Dictionary<string, object?> { ["Double"] = double.NaN, ["Float"] = double.NegativeInfinity },
            ["Texts"] = new List<object?> { "a", null, "b" },
            ["Counts"] = new Dictionary<string, object?> { ["x"] = 0L, ["gone"] = null },
        };

        var read = CborValueReader.ReadStructure(Everything, CborValueWriter.Write(Everything, value));

        ValueConverter.AssertEqual(value, read, "value");
        Assert.True(((Dictionary<string, object?>)read["Counts"]!).ContainsKey("gone"), "a map keeps its null values");
    }

    [Fact]
    public void Null_members_of_a_structure_are_left_out()
    {
        var bytes = CborValueWriter.Write(Everything, new() { ["Text"] = null, ["Bool"] = true });

        Assert.Equal("A164426F6F6CF5", Convert.ToHexString(bytes));
    }

    [Theory]
    [InlineData(5L, "A163496E7405")]
    [InlineData(256L, "A163496E74190100")]
    [InlineData(-1L, "A163496E7420")]
    [InlineData(70000L, "A163496E741A00011170")]
    public void Integers_take_the_smallest_encoding(long value, string hex)
        => Assert.Equal(hex, Convert.ToHexString(CborValueWriter.Write(Everything, new() { ["Int"] = value })));

    [Fact]
    public void Timestamps_are_written_as_tag_1_epoch_seconds_with_milliseconds()
    {
        var bytes = CborValueWriter.Write(Everything, new() { ["When"] = DateTimeOffset.FromUnixTimeMilliseconds(1_398_796_238_123) });

        var reader = new CborReader(bytes);
        reader.ReadStartMap();
        Assert.Equal("When", reader.ReadTextString());
        Assert.Equal(CborTag.UnixTimeSeconds, reader.ReadTag());
        Assert.Equal(1398796238.123, reader.ReadDouble());
    }

    [Fact]
    public void Indefinite_lengths_chunked_strings_and_narrow_numbers_are_accepted()
    {
        var w = new CborWriter(CborConformanceMode.Lax, convertIndefiniteLengthEncodings: false);
        w.WriteStartMap(null);
        w.WriteTextString("Texts");
        w.WriteStartArray(null);
        w.WriteStartIndefiniteLengthTextString();
        w.WriteTextString("ab");
        w.WriteTextString("cd");
        w.WriteEndIndefiniteLengthTextString();
        w.WriteEndArray();
        w.WriteTextString("Double");
        w.WriteHalf((Half)1.5);
        w.WriteTextString("Float");
        w.WriteInt32(3);
        w.WriteTextString("When");
        w.WriteTag(CborTag.UnixTimeSeconds);
        w.WriteInt64(1_398_796_238);
        w.WriteTextString("Data");
        w.WriteStartIndefiniteLengthByteString();
        w.WriteByteString([1, 2]);
        w.WriteByteString([3]);
        w.WriteEndIndefiniteLengthByteString();
        w.WriteEndMap();

        var read = CborValueReader.ReadStructure(Everything, w.Encode());

        Assert.Equal(new List<object?> { "abcd" }, (List<object?>)read["Texts"]!);
        Assert.Equal(1.5, read["Double"]);
        Assert.Equal(3.0, read["Float"]);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_398_796_238), read["When"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, read["Data"]);
    }

    [Fact]
    public void Unknown_members_are_skipped_whatever_they_hold()
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteStartMap(3);
        w.WriteTextString("Extra");
        w.WriteStartMap(1);
        w.WriteTextString("list");
        w.WriteStartArray(2);
        w.WriteTag(CborTag.UnixTimeSeconds);
        w.WriteDouble(1.5);
        w.WriteByteString([9]);
        w.WriteEndArray();
        w.WriteEndMap();
        w.WriteTextString("Text");
        w.WriteTextString("kept");
        w.WriteTextString("Bool");
        w.WriteNull();
        w.WriteEndMap();

        var read = CborValueReader.ReadStructure(Everything, w.Encode());

        Assert.Equal(new Dictionary<string, object?> { ["Text"] = "kept" }, read);
    }

    [Fact]
    public void An_empty_body_is_an_empty_structure()
        => Assert.Empty(CborValueReader.ReadStructure(Everything, ReadOnlyMemory<byte>.Empty));

    [Theory]
    [InlineData("A1", "Malformed CBOR")]
    [InlineData("80", "Expected a CBOR map for Everything, found an array")]
    [InlineData("A000", "Unexpected data after the top-level CBOR map")]
    [InlineData("A163496E746178", "Member Int must be an integer, found a text string")]
    [InlineData("A163496E74F93E00", "Member Int must be an integer, found 1.5")]
    [InlineData("A163496E741A80000000", "Member Int is out of range")]
    [InlineData("A16442797465190 12C", "Member Byte is out of range")]
    [InlineData("A1644C6F6E671B8000000000000000", "Member Long is out of range")]
    [InlineData("A1644C6F6E673B8000000000000000", "Member Long is out of range")]
    [InlineData("A1644461746161 78", "Member Data must be a byte string")]
    [InlineData("A1655465787473A0", "Member Texts must be an array")]
    [InlineData("A1664E657374656405", "Member Nested must be a map")]
    [InlineData("A1645768656E6178", "Member When must be a number")]
    [InlineData("A10102", "Keys of Everything must be text strings")]
    [InlineData("A16454657874 62C328", "Malformed CBOR")]
    [InlineData("A26454657874616164546578746162", "Malformed CBOR")]
    [InlineData("A163496E741C", "Malformed CBOR")]
    public void Malformed_input_is_a_serialization_exception(string hex, string message)
    {
        var error = Assert.Throws<AwsException>(() => CborValueReader.ReadStructure(Everything, Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal))));

        Assert.Equal("SerializationException", error.Code);
        Assert.Equal(400, error.HttpStatus);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_beyond_the_limit_is_refused_rather_than_overflowing_the_stack()
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        const int depth = 10_000;
        for (var i = 0; i < depth; i++)
        {
            w.WriteStartMap(1);
            w.WriteTextString("Nested");
        }
        w.WriteStartMap(0);
        w.WriteEndMap();
        for (var i = 0; i < depth; i++) w.WriteEndMap();

        var error = Assert.Throws<AwsException>(() => CborValueReader.ReadStructure(Everything, w.Encode()));
        Assert.Contains("deeper than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_a_bug_reported_as_such()
        => Assert.Throws<InvalidOperationException>(() => CborValueWriter.Write(Everything, new() { ["Bool"] = "yes" }));
}
