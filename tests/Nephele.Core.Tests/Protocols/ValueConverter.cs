using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nephele.Core.Models;

namespace Nephele.Core.Tests.Protocols;

/// <summary>Turns the test data's JSON params/results into protocol values, shape by shape, and compares values.</summary>
public static class ValueConverter
{
    public static object? FromJson(Shape shape, JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.Null) return null;
        if (shape.IsDocument) return JsonNode.Parse(json.GetRawText());
        switch (shape.Type)
        {
            case ShapeType.Structure:
                var s = new Dictionary<string, object?>();
                foreach (var p in json.EnumerateObject())
                {
                    var m = shape.FindMember(p.Name) ?? throw new InvalidDataException($"{shape.Name} has no member {p.Name}");
                    s[p.Name] = FromJson(m.Shape, p.Value);
                }
                return s;
            case ShapeType.List:
                return json.EnumerateArray().Select(e => FromJson(shape.Member!.Shape, e)).ToList();
            case ShapeType.Map:
                var map = new Dictionary<string, object?>();
                foreach (var p in json.EnumerateObject()) map[p.Name] = FromJson(shape.Value!.Shape, p.Value);
                return map;
            case ShapeType.String:
                return json.ValueKind == JsonValueKind.String ? json.GetString() : json.GetRawText();
            case ShapeType.Boolean:
                return json.GetBoolean();
            case ShapeType.Integer or ShapeType.Long or ShapeType.Short or ShapeType.Byte:
                return json.GetInt64();
            case ShapeType.BigInteger:
                return BigInteger.Parse(json.GetRawText(), CultureInfo.InvariantCulture);
            case ShapeType.BigDecimal:
                return decimal.Parse(json.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
            case ShapeType.Float or ShapeType.Double:
                return json.ValueKind == JsonValueKind.String
                    ? json.GetString() switch { "NaN" => double.NaN, "Infinity" => double.PositiveInfinity, "-Infinity" => double.NegativeInfinity, var x => double.Parse(x!, CultureInfo.InvariantCulture) }
                    : json.GetDouble();
            case ShapeType.Timestamp:
                return json.ValueKind == JsonValueKind.Number
                    ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(json.GetDouble() * 1000))
                    : DateTimeOffset.Parse(json.GetString()!, CultureInfo.InvariantCulture);
            case ShapeType.Blob:
                return Encoding.UTF8.GetBytes(json.GetString()!);
            default:
                throw new InvalidDataException(shape.Type.ToString());
        }
    }

    public static void AssertEqual(object? expected, object? actual, string path)
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{path}: expected nothing, got {Describe(actual)}");
                return;
            case Dictionary<string, object?> e:
                var a = Assert.IsType<Dictionary<string, object?>>(actual, exactMatch: false);
                // A member the test expects absent may be parsed as absent; extra keys are differences.
                Assert.True(e.Where(kv => kv.Value is not null).Select(kv => kv.Key).ToHashSet().SetEquals(a.Where(kv => kv.Value is not null).Select(kv => kv.Key)),
                    $"{path}: expected keys [{string.Join(",", e.Keys)}], got [{string.Join(",", a.Keys)}]");
                foreach (var (k, v) in e) AssertEqual(v, a.GetValueOrDefault(k), $"{path}.{k}");
                return;
            case List<object?> el:
                var al = Assert.IsType<List<object?>>(actual, exactMatch: false);
                Assert.True(el.Count == al.Count, $"{path}: expected {el.Count} items, got {al.Count}");
                for (var i = 0; i < el.Count; i++) AssertEqual(el[i], al[i], $"{path}[{i}]");
                return;
            case byte[] eb:
                var ab = actual is Stream st ? ReadAll(st) : Assert.IsType<byte[]>(actual);
                Assert.True(eb.AsSpan().SequenceEqual(ab), $"{path}: expected bytes '{Encoding.UTF8.GetString(eb)}', got '{Encoding.UTF8.GetString(ab)}'");
                return;
            case double ed:
                var ad = Convert.ToDouble(actual, CultureInfo.InvariantCulture);
                Assert.True(ed.Equals(ad) || Math.Abs(ed - ad) < 1e-6 * Math.Max(1, Math.Abs(ed)), $"{path}: expected {ed}, got {ad}");
                return;
            case long el2:
                Assert.True(actual is long al2 && al2 == el2, $"{path}: expected {el2}, got {Describe(actual)}");
                return;
            case JsonNode en:
                Assert.True(actual is JsonNode an && JsonNode.DeepEquals(en, an), $"{path}: expected {en.ToJsonString()}, got {Describe(actual)}");
                return;
            default:
                Assert.True(Equals(expected, actual), $"{path}: expected {Describe(expected)}, got {Describe(actual)}");
                return;
        }
    }

    private static byte[] ReadAll(Stream s)
    {
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    private static string Describe(object? v) => v switch
    {
        null => "null",
        byte[] b => $"bytes '{Encoding.UTF8.GetString(b)}'",
        JsonNode n => n.ToJsonString(),
        _ => $"{v} ({v.GetType().Name})",
    };
}
