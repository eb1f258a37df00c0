using Nephele.Core.Models;

namespace Nephele.Core.Protocols.Xml;

/// <summary>How a structure member is named in XML, as AWS services and botocore name it.</summary>
public static class XmlNames
{
    /// <summary>
    /// The member's locationName (on the reference, else on its target shape), else its name. A flattened
    /// list repeats its item's locationName when it has one: SQS sends &lt;Message&gt; elements for the
    /// member Messages.
    /// </summary>
    public static string Element(Member member)
    {
        if (member.Flattened && member.Shape.Type == ShapeType.List && member.Shape.Member!.LocationName is { } item) return item;
        return member.LocationName ?? member.Shape.LocationName ?? member.Name;
    }
}
