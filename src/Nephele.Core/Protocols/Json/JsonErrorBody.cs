using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Nephele.Core.Models;

namespace Nephele.Core.Protocols.Json;

/// <summary>
/// The JSON body of an AWS error, shared by the json and rest-json protocols:
/// {"__type": code, "message": text, ...modeled fields}.
/// </summary>
internal static class JsonErrorBody
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="shape">The modeled error shape, if any; its fields are written with it.</param>
    /// <param name="bodyMembersOnly">Rest protocols send header-bound error members as headers instead.</param>
    public static byte[] Write(string code, AwsException error, Shape? shape, bool bodyMembersOnly)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WriteString("__type", code);
            // Some services model the message as "Message"; the client reads whichever the shape names.
            var messageMember = FindMessageMember(shape);
            var message = messageMember is not null && error.Fields.GetValueOrDefault(messageMember.Name) is string fromFields
                ? fromFields : error.Message;
            if (message.Length > 0) writer.WriteString(messageMember?.WireName ?? "message", message);
            if (shape is not null) JsonValueWriter.WriteMembers(writer, shape, error.Fields, bodyMembersOnly, skip: messageMember);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static Member? FindMessageMember(Shape? shape)
    {
        if (shape is null) return null;
        foreach (var m in shape.Members)
            if (m.Location == MemberLocation.Body && m.Shape.Type == ShapeType.String && string.Equals(m.WireName, "message", StringComparison.OrdinalIgnoreCase))
                return m;
        return null;
    }
}
