using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nephele.Core.Models;
using Nephele.Core.Protocols.Rest;

namespace Nephele.Core.Protocols.Json;

/// <summary>
/// Reads JSON bodies into protocol values (see IWireProtocol), shape by shape, with Utf8JsonReader.
/// Unknown members and nulls are skipped; malformed JSON or a value of the wrong type is the client's
/// fault: SerializationException, 400, as AWS JSON services answer.
/// </summary>
public static class JsonValueReader
{
    // DynamoDB nests attribute values 32 deep, two JSON levels each.
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 256, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>
    /// Reads a JSON object into the values of structure <paramref name="shape"/>; an empty body is {}.
    /// With <paramref name="bodyMembersOnly"/> (rest protocols) members bound elsewhere are ignored.
    /// </summary>
    public static Dictionary<string, object?> ReadStructure(Shape shape, ReadOnlySpan<byte> json, bool bodyMembersOnly = false)
    {
        if (IsBlank(json)) return new Dictionary<string, object?>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            Next(ref reader);
            if (reader.TokenType != JsonTokenType.StartObject) throw Wrong(shape.Name, "a JSON object", reader.TokenType);
            var values = ReadObject(ref reader, shape, bodyMembersOnly);
            EnsureEnd(ref reader);
            return values;
        }
        catch (JsonException e)
        {
            throw Malformed(e);
        }
    }

    /// <summary>Reads a whole body as the value of one member (a rest payload: structure, union or document).</summary>
    public static object? ReadValue(Member member, ReadOnlySpan<byte> json)
    {
        if (IsBlank(json)) return null;
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            Next(ref reader);
            var value = Read(ref reader, member.Shape, member);
            EnsureEnd(ref reader);
            return value;
        }
        catch (JsonException e)
        {
            throw Malformed(e);
        }
    }

    private static Dictionary<string, object?> ReadObject(ref Utf8JsonReader reader, Shape shape, bool bodyMembersOnly)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var index = JsonMemberIndex.For(shape);
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject) return values;
            var member = reader.ValueIsEscaped || reader.HasValueSequence ? index.Find(reader.GetString()!) : index.Find(reader.ValueSpan);
            Next(ref reader);
            if (member is null || (bodyMembersOnly && member.Location != MemberLocation.Body))
            {
                reader.Skip();
                continue;
            }
            if (Read(ref reader, member.Shape, member) is { } value) values[member.Name] = value;
        }
    }

    private static object? Read(ref Utf8JsonReader reader, Shape shape, Member member)
    {
        var token = reader.TokenType;
        if (token == JsonTokenType.Null) return null;
        if (shape.IsDocument) return JsonNode.Parse(ref reader);
        switch (shape.Type)
        {
            case ShapeType.Structure:
                if (token != JsonTokenType.StartObject) throw Wrong(member.Name, "a JSON object", token);
                return ReadObject(ref reader, shape, bodyMembersOnly: false);
            case ShapeType.List:
                if (token != JsonTokenType.StartArray) throw Wrong(member.Name, "a JSON array", token);
                var list = new List<object?>();
                var item = shape.Member!;
                while (true)
                {
                    Next(ref reader);
                    if (reader.TokenType == JsonTokenType.EndArray) return list;
                    list.Add(Read(ref reader, item.Shape, item));
                }
            case ShapeType.Map:
                if (token != JsonTokenType.StartObject) throw Wrong(member.Name, "a JSON object", token);
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                var valueMember = shape.Value!;
                while (true)
                {
                    Next(ref reader);
                    if (reader.TokenType == JsonTokenType.EndObject) return map;
                    var key = reader.GetString()!;
                    Next(ref reader);
                    if (Read(ref reader, valueMember.Shape, valueMember) is { } v) map[key] = v;
                }
            case ShapeType.String:
                return token == JsonTokenType.String ? reader.GetString() : throw Wrong(member.Name, "a string", token);
            case ShapeType.Boolean:
                return token switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    _ => throw Wrong(member.Name, "a boolean", token),
                };
            case ShapeType.Integer or ShapeType.Long or ShapeType.Short or ShapeType.Byte:
                if (token != JsonTokenType.Number) throw Wrong(member.Name, "an integer", token);
                if (reader.TryGetInt64(out var l)) return l;
                // 5.0 is still the integer 5; 5.5 is not.
                if (reader.TryGetDouble(out var d) && Math.Floor(d) == d && Math.Abs(d) < 9.2e18) return (long)d;
                throw new AwsException("SerializationException", $"Value for {member.Name} is not an integer in range.", 400);
            case ShapeType.Float or ShapeType.Double:
                if (token == JsonTokenType.Number) return reader.GetDouble();
                if (token == JsonTokenType.String && HttpScalarText.ParseDouble(reader.GetString()!) is { } special && !double.IsFinite(special)) return special;
                throw Wrong(member.Name, "a number", token);
            case ShapeType.BigInteger:
                if (token == JsonTokenType.Number && BigInteger.TryParse(System.Text.Encoding.UTF8.GetString(reader.ValueSpan), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bi)) return bi;
                throw Wrong(member.Name, "an integer", token);
            case ShapeType.BigDecimal:
                if (token == JsonTokenType.Number && reader.TryGetDecimal(out var m)) return m;
                throw Wrong(member.Name, "a number", token);
            case ShapeType.Timestamp:
                return ReadTimestamp(ref reader, member);
            case ShapeType.Blob:
                if (token != JsonTokenType.String) throw Wrong(member.Name, "a base64 string", token);
                if (reader.TryGetBytesFromBase64(out var bytes)) return bytes;
                throw new AwsException("SerializationException", $"Value for {member.Name} is not valid base64.", 400);
            default:
                reader.Skip();
                return null;
        }
    }

    // Epoch seconds by default in JSON bodies, but a client may send any of the formats.
    private static DateTimeOffset ReadTimestamp(ref Utf8JsonReader reader, Member member)
    {
        try
        {
            if (reader.TokenType == JsonTokenType.Number)
                return reader.TryGetDecimal(out var seconds) ? TimestampText.FromEpochSeconds(seconds) : TimestampText.FromEpochSeconds(reader.GetDouble());
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new AwsException("SerializationException", $"Value for {member.Name} is not a timestamp in range.", 400);
        }
        if (reader.TokenType == JsonTokenType.String && TimestampText.TryParse(reader.GetString()!, out var ts)) return ts;
        throw Wrong(member.Name, "a timestamp", reader.TokenType);
    }

    private static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new AwsException("SerializationException", "The request body ends before its JSON value does.", 400);
    }

    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read()) throw new AwsException("SerializationException", "The request body has content after its JSON value.", 400);
    }

    private static bool IsBlank(ReadOnlySpan<byte> json) => json.Trim(" \t\r\n"u8).IsEmpty;

    private static AwsException Wrong(string member, string expected, JsonTokenType got)
        => new("SerializationException", $"Expected {expected} for {member}, got {Describe(got)}.", 400);

    private static AwsException Malformed(JsonException e)
        => new("SerializationException", $"The request body is not valid JSON: {e.Message}", 400);

    private static string Describe(JsonTokenType t) => t switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => t.ToString(),
    };
}
