using Nephele.Core.Models;

namespace Nephele.Core.Protocols.Xml;

/// <summary>
/// The XML payload of an event stream message, as S3 Select sends it: the structure as a root element named
/// after its shape, no declaration, no namespace (<c>&lt;Stats xmlns=""&gt;...&lt;/Stats&gt;</c>).
/// </summary>
internal static class XmlEventPayload
{
    /// <summary>The structure's XML, or nothing when no member is set: S3's End and Cont events carry no payload at all.</summary>
    public static byte[] Write(Shape shape, Dictionary<string, object?> value)
    {
        var any = false;
        foreach (var m in shape.Members)
            if (value.GetValueOrDefault(m.Name) is not null) { any = true; break; }
        if (!any) return [];
        return XmlValueWriter.Fragment(w =>
        {
            w.WriteStartElement(shape.LocationName ?? shape.Name, "");
            XmlValueWriter.WriteMembers(w, shape, value, "");
            w.WriteEndElement();
        });
    }
}
