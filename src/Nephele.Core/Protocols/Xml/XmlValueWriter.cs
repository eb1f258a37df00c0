using System.Collections;
using System.Text;
using System.Xml;
using Nephele.Core.Models;

namespace Nephele.Core.Protocols.Xml;

/// <summary>
/// Writes protocol values (see IWireProtocol) as XML, driven by shapes: structures as elements named by
/// member locationName or name, lists wrapped in &lt;member&gt; (or the list member's locationName) unless
/// flattened, maps as &lt;entry&gt;&lt;key/&gt;&lt;value/&gt;&lt;/entry&gt; unless flattened, xmlAttribute
/// members as attributes, xmlNamespace on member references. Shape-level xmlNamespace only applies to the
/// root element, which the protocol writes (AWS's own responses and the Smithy suites agree on this).
/// </summary>
public static class XmlValueWriter
{
    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(false),
        // A literal CR in text would reach the client as LF; AWS sends &#xD; so message bodies survive.
        NewLineHandling = NewLineHandling.Entitize,
        // Handler data (S3 keys, SQS bodies) may hold characters XML 1.0 forbids; never fail the response for them.
        CheckCharacters = false,
        Indent = false,
    };

    private const string XmlnsUri = "http://www.w3.org/2000/xmlns/";
    private const string XsiUri = "http://www.w3.org/2001/XMLSchema-instance";

    private static readonly XmlWriterSettings FragmentSettings = new()
    {
        Encoding = Settings.Encoding,
        NewLineHandling = Settings.NewLineHandling,
        CheckCharacters = Settings.CheckCharacters,
        Indent = false,
        OmitXmlDeclaration = true,
    };

    /// <summary>Builds a document with an XML declaration, as AWS sends; <paramref name="write"/> writes the root element.</summary>
    public static byte[] Document(Action<XmlWriter> write) => Write(write, Settings);

    /// <summary>A document without the XML declaration: event payloads (S3 Select's &lt;Stats&gt;) carry none.</summary>
    public static byte[] Fragment(Action<XmlWriter> write) => Write(write, FragmentSettings);

    private static byte[] Write(Action<XmlWriter> write, XmlWriterSettings settings)
    {
        using var buffer = new MemoryStream(512);
        using (var writer = XmlWriter.Create(buffer, settings))
        {
            writer.WriteStartDocument();
            write(writer);
            writer.WriteEndDocument();
        }
        return buffer.ToArray();
    }

    /// <summary>Declares a namespace on the element just started: prefixed ones as xmlns:p, others are the element's own.</summary>
    public static void DeclarePrefix(XmlWriter writer, XmlNamespace? ns)
    {
        if (ns is { Prefix: { Length: > 0 } prefix, Uri: { } uri })
            writer.WriteAttributeString("xmlns", prefix, XmlnsUri, uri);
    }

    /// <summary>The namespace an element of this reference lives in: its own default namespace, else the parent's.</summary>
    public static string ElementNamespace(XmlNamespace? ns, string parent) =>
        ns is { Prefix: null or "", Uri: { } uri } ? uri : parent;

    /// <summary>Writes a structure's xmlAttribute members then its body members into the element just started.</summary>
    public static void WriteMembers(XmlWriter writer, Shape shape, object value, string ns)
    {
        var fields = AsStructure(value, shape);
        foreach (var member in shape.Members)
            if (member.XmlAttribute && fields.TryGetValue(member.Name, out var v) && v is not null)
                WriteAttribute(writer, shape, member, v);
        var order = fields.TryGetValue(DocumentOrderKey, out var o) ? o as IList : null;
        foreach (var member in shape.Members)
        {
            if (member.XmlAttribute || !InBody(member)) continue;
            if (!fields.TryGetValue(member.Name, out var v) || v is null) continue;
            if (order is not null && member.Flattened && order.Contains(member.Name))
            {
                // The first of the interleaved members writes them all, in the handler's order.
                if (order.Count > 0 && order[0] as string == member.Name) WriteInterleaved(writer, shape, fields, order, ns);
                continue;
            }
            WriteMember(writer, member, XmlNames.Element(member), v, ns);
        }
    }

    /// <summary>
    /// A structure value may carry this key: a list of member names, one per item, saying in which order the items of
    /// its flattened list members appear in the document (S3's ListObjectVersions interleaves Version and DeleteMarker
    /// elements in key order). Members it names are written together where the first of them would be.
    /// </summary>
    public const string DocumentOrderKey = "$documentOrder";

    private static void WriteInterleaved(XmlWriter writer, Shape shape, IReadOnlyDictionary<string, object?> fields, IList order, string ns)
    {
        var next = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in order.OfType<string>())
        {
            var member = shape.Members.FirstOrDefault(m => m.Name == name);
            if (member is null || !fields.TryGetValue(name, out var v) || v is not IList items) continue;
            var index = next.GetValueOrDefault(name);
            next[name] = index + 1;
            if (index >= items.Count || items[index] is not { } item) continue;
            var itemParentNs = member.XmlNamespace is null ? ns : ElementNamespace(member.XmlNamespace, ns);
            WriteMember(writer, member.Shape.Member!, XmlNames.Element(member), item, itemParentNs);
        }
    }

    /// <summary>
    /// Whether a member travels in an XML body: all but header and status bindings. URI and query bindings
    /// mean nothing in output, so such members of an output structure are written as elements.
    /// </summary>
    public static bool InBody(Member member) => member.Location is not (MemberLocation.Header or MemberLocation.Headers or MemberLocation.StatusCode);

    /// <summary>Writes one member (or list item / map key / map value) as element(s) named <paramref name="name"/>.</summary>
    public static void WriteMember(XmlWriter writer, Member member, string name, object value, string parentNs)
    {
        var shape = member.Shape;
        var ns = ElementNamespace(member.XmlNamespace, parentNs);
        switch (shape.Type)
        {
            case ShapeType.Structure:
                writer.WriteStartElement(name, ns);
                DeclarePrefix(writer, member.XmlNamespace);
                WriteMembers(writer, shape, value, ns);
                writer.WriteEndElement();
                break;
            case ShapeType.List:
                WriteList(writer, member, name, value, ns, parentNs);
                break;
            case ShapeType.Map:
                WriteMap(writer, member, name, value, ns);
                break;
            default:
                writer.WriteStartElement(name, ns);
                DeclarePrefix(writer, member.XmlNamespace);
                writer.WriteString(XmlScalars.Format(member, value));
                writer.WriteEndElement();
                break;
        }
    }

    private static void WriteList(XmlWriter writer, Member member, string name, object value, string ns, string parentNs)
    {
        var item = member.Shape.Member!;
        var items = XmlScalars.AsList(value) ?? throw Mismatch(member, value);
        if (member.Flattened)
        {
            // Each item is an element named like the outer member, with the item reference's traits.
            var itemParentNs = member.XmlNamespace is null ? parentNs : ns;
            foreach (var v in items)
                if (v is not null) WriteMember(writer, item, name, v, itemParentNs);
            return;
        }
        writer.WriteStartElement(name, ns);
        DeclarePrefix(writer, member.XmlNamespace);
        var itemName = item.LocationName ?? "member";
        foreach (var v in items)
            if (v is not null) WriteMember(writer, item, itemName, v, ns);
        writer.WriteEndElement();
    }

    private static void WriteMap(XmlWriter writer, Member member, string name, object value, string ns)
    {
        var map = member.Shape;
        var keyName = map.Key!.LocationName ?? "key";
        var valueName = map.Value!.LocationName ?? "value";
        if (!member.Flattened)
        {
            writer.WriteStartElement(name, ns);
            DeclarePrefix(writer, member.XmlNamespace);
        }
        foreach (var (k, v) in Entries(value, member))
        {
            writer.WriteStartElement(member.Flattened ? name : "entry", ns);
            if (member.Flattened) DeclarePrefix(writer, member.XmlNamespace);
            WriteMember(writer, map.Key, keyName, k, ns);
            if (v is not null) WriteMember(writer, map.Value, valueName, v, ns);
            writer.WriteEndElement();
        }
        if (!member.Flattened) writer.WriteEndElement();
    }

    private static void WriteAttribute(XmlWriter writer, Shape owner, Member member, object value)
    {
        var name = member.LocationName ?? member.Name;
        var text = XmlScalars.Format(member, value);
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            writer.WriteAttributeString(name, text);
            return;
        }
        // "xsi:type" on S3 grantees: the prefix is declared by the member, the owner shape, or is the well-known xsi.
        var prefix = name[..colon];
        var uri = member.XmlNamespace is { Prefix: var p1, Uri: { } u1 } && p1 == prefix ? u1
            : owner.XmlNamespace is { Prefix: var p2, Uri: { } u2 } && p2 == prefix ? u2
            : prefix == "xsi" ? XsiUri : null;
        if (uri is null) writer.WriteAttributeString(name[(colon + 1)..], text);
        else writer.WriteAttributeString(prefix, name[(colon + 1)..], uri, text);
    }

    /// <summary>A structure value: the documented Dictionary&lt;string, object?&gt; or another string-keyed dictionary.</summary>
    internal static IReadOnlyDictionary<string, object?> AsStructure(object value, Shape shape) => value switch
    {
        IReadOnlyDictionary<string, object?> d => d,
        IDictionary d => ToDictionary(d),
        _ => throw new InvalidOperationException($"Shape {shape.Name} expects a structure value, not {value.GetType().Name}."),
    };

    internal static IEnumerable<KeyValuePair<string, object?>> Entries(object value, Member member)
    {
        switch (value)
        {
            case IReadOnlyDictionary<string, object?> d:
                return d;
            case IDictionary d:
                return ToDictionary(d);
            default:
                throw Mismatch(member, value);
        }
    }

    private static Dictionary<string, object?> ToDictionary(IDictionary d)
    {
        var result = new Dictionary<string, object?>(d.Count, StringComparer.Ordinal);
        foreach (DictionaryEntry e in d) result[Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture)!] = e.Value;
        return result;
    }

    private static InvalidOperationException Mismatch(Member member, object value) =>
        new($"Member {member.Name} ({member.Shape.Type} {member.Shape.Name}) cannot be written from a {value.GetType().Name}.");
}
