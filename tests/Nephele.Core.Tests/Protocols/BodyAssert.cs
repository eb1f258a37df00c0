using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Nephele.Core.Tests.Protocols;

/// <summary>Compares response bodies by meaning, not bytes, as a client would read them.</summary>
public static class BodyAssert
{
    public static void JsonEqual(string expected, string actual, string id)
    {
        if (string.IsNullOrWhiteSpace(expected))
        {
            Assert.True(string.IsNullOrWhiteSpace(actual) || actual.Trim() == "{}", $"{id}: expected an empty body, got {actual}");
            return;
        }
        var e = JsonNode.Parse(expected);
        var a = JsonNode.Parse(actual);
        Assert.True(JsonNode.DeepEquals(e, a), $"{id}: expected JSON {e?.ToJsonString()}\n got {a?.ToJsonString()}");
    }

    public static void XmlEqual(string expected, string actual, string id)
    {
        if (string.IsNullOrWhiteSpace(expected))
        {
            Assert.True(string.IsNullOrWhiteSpace(actual), $"{id}: expected an empty body, got {actual}");
            return;
        }
        var e = Canonical(XElement.Parse(expected));
        var a = Canonical(XElement.Parse(actual));
        Assert.True(e == a, $"{id}: expected XML\n{e}\n got\n{a}");
    }

    // A timestamp with a UTC offset means the same instant as its UTC rendering.
    private static string SameInstant(string text) =>
        text.Length >= 20 && text[4] == '-' && text[10] == 'T' && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var instant)
            ? instant.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : text;

    /// <summary>Element name, attributes, trimmed text and children sorted, so sibling order does not matter.</summary>
    private static string Canonical(XElement e)
    {
        var attrs = string.Join(" ", e.Attributes().Where(a => !a.IsNamespaceDeclaration).Select(a => $"{a.Name}={a.Value}").Order(StringComparer.Ordinal));
        var children = e.Elements().Select(Canonical).Order(StringComparer.Ordinal).ToArray();
        var text = children.Length == 0 ? SameInstant(e.Value.Trim()) : "";
        return $"<{e.Name} {attrs}>{text}{string.Concat(children)}</{e.Name}>";
    }
}
