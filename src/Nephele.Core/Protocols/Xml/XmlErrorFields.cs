using System.Xml;
using Nephele.Core.Models;

namespace Nephele.Core.Protocols.Xml;

/// <summary>
/// The parts of an XML error body every XML protocol shares: the code clients match on, the message, and
/// the extra members of the modeled error shape (or unmodeled fields such as S3's BucketName).
/// </summary>
public static class XmlErrorFields
{
    /// <summary>The thrown message, else a modeled Message field.</summary>
    public static string Message(AwsException error) =>
        error.Message.Length > 0 ? error.Message
        : (error.Fields.GetValueOrDefault("Message") ?? error.Fields.GetValueOrDefault("message")) as string ?? "";

    /// <summary>Query errors are typed by who is at fault; a 5xx is never the sender's.</summary>
    public static string FaultType(Shape? shape, AwsException error) =>
        error.HttpStatus < 500 && error.SenderFault && (shape?.ErrorSenderFault ?? true) ? "Sender" : "Receiver";

    /// <summary>Writes the fields as child elements of the &lt;Error&gt; element just started.</summary>
    public static void Write(XmlWriter writer, Shape? shape, AwsException error, string ns)
    {
        if (error.Fields.Count == 0) return;
        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Code", "Message", "Type", "RequestId" };
        if (shape is not null)
            foreach (var member in shape.Members)
            {
                if (!XmlValueWriter.InBody(member) || member.XmlAttribute) continue;
                var name = XmlNames.Element(member);
                if (!written.Add(name) || error.Fields.GetValueOrDefault(member.Name) is not { } value) continue;
                XmlValueWriter.WriteMember(writer, member, name, value, ns);
            }
        foreach (var (name, value) in error.Fields)
        {
            if (value is null || written.Contains(name) || shape?.FindMember(name) is not null) continue;
            var text = XmlScalars.FormatLoose(value);
            if (text is not null) writer.WriteElementString(name, ns, text);
        }
    }

    /// <summary>The extra headers the handler set on the error (S3's x-amz-delete-marker ...).</summary>
    public static void CopyHeaders(AwsResponse response, AwsException error)
    {
        foreach (var (name, value) in error.Headers) response.Headers.Set(name, value);
    }
}
