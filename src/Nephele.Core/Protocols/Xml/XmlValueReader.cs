using System.Runtime.CompilerServices;
using System.Xml;
using System.Xml.Linq;
using Nephele.Core.Models;

namespace Nephele.Core.Protocols.Xml;

/// <summary>
/// Reads XML into protocol values (see IWireProtocol), driven by shapes; the mirror of
/// <see cref="XmlValueWriter"/>. Elements are matched by local name, so a client's choice of namespace
/// never loses a member; unknown elements are ignored, as AWS does.
/// </summary>
public static class XmlValueReader
{
    public const string MalformedXmlMessage = "The XML you provided was not well-formed or did not validate against our published schema";

    private static readonly XmlReaderSettings Settings = new()
    {
        // No DTDs: entity expansion and external entities are attacks, and no AWS client sends them.
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    private static readonly ConditionalWeakTable<Shape, ElementIndex> Indexes = [];

    public static AwsException MalformedXml() => new("MalformedXML", MalformedXmlMessage, 400);

    /// <summary>The root element of a body, or null when the body is empty or only whitespace.</summary>
    public static XElement? Load(byte[] body)
    {
        var span = body.AsSpan();
        var start = 0;
        while (start < span.Length && span[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') start++;
        if (start == span.Length) return null;
        try
        {
            using var stream = new MemoryStream(body, start, body.Length - start, writable: false);
            using var reader = XmlReader.Create(stream, Settings);
            // Whitespace is data in a leaf (an S3 key of "  "); between elements it is skipped by Elements().
            return XDocument.Load(reader, LoadOptions.PreserveWhitespace).Root;
        }
        catch (XmlException)
        {
            throw MalformedXml();
        }
    }

    /// <summary>Reads the body members of <paramref name="shape"/> from the children and attributes of <paramref name="element"/>.</summary>
    public static Dictionary<string, object?> ReadStructure(XElement element, Shape shape)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var index = Indexes.GetValue(shape, static s => new ElementIndex(s));
        foreach (var member in index.Attributes)
            if (FindAttribute(element, member) is { } attribute)
                result[member.Name] = Scalar(member, attribute.Value);
        foreach (var child in element.Elements())
        {
            if (!index.Elements.TryGetValue(child.Name.LocalName, out var member)) continue;
            if (member.Flattened && member.Shape.Type == ShapeType.List)
            {
                if (result.GetValueOrDefault(member.Name) is not List<object?> list) result[member.Name] = list = [];
                list.Add(ReadValue(member.Shape.Member!, child));
            }
            else if (member.Flattened && member.Shape.Type == ShapeType.Map)
            {
                if (result.GetValueOrDefault(member.Name) is not Dictionary<string, object?> map) result[member.Name] = map = new(StringComparer.Ordinal);
                ReadEntry(member.Shape, child, map);
            }
            else
            {
                result[member.Name] = ReadValue(member, child);
            }
        }
        return result;
    }

    /// <summary>Reads one element as the value of <paramref name="member"/> (a non-flattened list or map is the wrapper element).</summary>
    public static object? ReadValue(Member member, XElement element)
    {
        var shape = member.Shape;
        switch (shape.Type)
        {
            case ShapeType.Structure:
                return ReadStructure(element, shape);
            case ShapeType.List:
                var list = new List<object?>();
                // Any child is an item: clients agree on the item name, and AWS does not check it.
                foreach (var child in element.Elements()) list.Add(ReadValue(shape.Member!, child));
                return list;
            case ShapeType.Map:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var entry in element.Elements()) ReadEntry(shape, entry, map);
                return map;
            default:
                return Scalar(member, element.Value);
        }
    }

    private static void ReadEntry(Shape map, XElement entry, Dictionary<string, object?> target)
    {
        var keyName = map.Key!.LocationName ?? "key";
        var valueName = map.Value!.LocationName ?? "value";
        XElement? key = null, value = null;
        foreach (var e in entry.Elements())
        {
            if (e.Name.LocalName == keyName) key ??= e;
            else if (e.Name.LocalName == valueName) value ??= e;
        }
        if (key is null) throw MalformedXml();
        target[key.Value] = value is null ? null : ReadValue(map.Value, value);
    }

    private static object? Scalar(Member member, string text) =>
        XmlScalars.TryParse(member.Shape, text, out var value) ? value : throw MalformedXml();

    private static XAttribute? FindAttribute(XElement element, Member member)
    {
        var name = member.LocationName ?? member.Name;
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0) return element.Attribute(name);
        var local = name[(colon + 1)..];
        if (element.GetNamespaceOfPrefix(name[..colon]) is { } ns && element.Attribute(ns + local) is { } exact) return exact;
        foreach (var a in element.Attributes())
            if (!a.IsNamespaceDeclaration && a.Name.LocalName == local) return a;
        return null;
    }

    /// <summary>Per shape: body members by element name, and the attribute members.</summary>
    private sealed class ElementIndex
    {
        public ElementIndex(Shape shape)
        {
            foreach (var m in shape.Members)
            {
                if (m.Location != MemberLocation.Body) continue;
                if (m.XmlAttribute) Attributes.Add(m);
                else
                {
                    Elements.TryAdd(XmlNames.Element(m), m);
                    // Smithy-generated clients name a flattened list by the member, whatever its items are called.
                    if (m.Flattened) Elements.TryAdd(m.LocationName ?? m.Name, m);
                }
            }
        }

        public Dictionary<string, Member> Elements { get; } = new(StringComparer.Ordinal);
        public List<Member> Attributes { get; } = [];
    }
}
