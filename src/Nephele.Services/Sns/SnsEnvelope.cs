using System.Text;
using System.Text.Json;

namespace Nephele.Services.Sns;

/// <summary>One published message as subscribers see it, before it is shaped for a protocol.</summary>
internal sealed class Notification
{
    public required string MessageId { get; init; }
    public required string TopicArn { get; init; }
    public string? Subject { get; init; }
    public required string Message { get; init; }
    public required string Timestamp { get; init; }
    public string? SequenceNumber { get; init; }
    public IReadOnlyList<PublishAttribute> Attributes { get; init; } = [];
    public required string SignatureVersion { get; init; }
    public required string Signature { get; init; }
    public required string SigningCertUrl { get; init; }
}

/// <summary>
/// The JSON documents SNS delivers: the notification envelope (SQS, HTTP, email-json), the subscription
/// confirmation, and the event Lambda receives. Members are written in AWS's order.
/// </summary>
internal static class SnsEnvelope
{
    // Relaxed escaping: messages keep their characters (AWS does not \u-escape "+" or "<").
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The fields AWS signs for a notification, in its order.</summary>
    public static IEnumerable<(string, string?)> NotificationSigningFields(string message, string messageId, string? subject, string timestamp, string topicArn) =>
        [("Message", message), ("MessageId", messageId), ("Subject", subject), ("Timestamp", timestamp), ("TopicArn", topicArn), ("Type", "Notification")];

    public static IEnumerable<(string, string?)> ConfirmationSigningFields(string type, string message, string messageId, string subscribeUrl, string timestamp, string token, string topicArn) =>
        [("Message", message), ("MessageId", messageId), ("SubscribeURL", subscribeUrl), ("Timestamp", timestamp), ("Token", token), ("TopicArn", topicArn), ("Type", type)];

    public static string Notification(Notification n, string unsubscribeUrl) => Write(w => WriteNotification(w, n, unsubscribeUrl, lambda: false));

    public static string Confirmation(string type, string messageId, string token, string topicArn, string message, string subscribeUrl,
        string timestamp, string signatureVersion, string signature, string signingCertUrl) => Write(w =>
    {
        w.WriteString("Type", type);
        w.WriteString("MessageId", messageId);
        w.WriteString("Token", token);
        w.WriteString("TopicArn", topicArn);
        w.WriteString("Message", message);
        w.WriteString("SubscribeURL", subscribeUrl);
        w.WriteString("Timestamp", timestamp);
        w.WriteString("SignatureVersion", signatureVersion);
        w.WriteString("Signature", signature);
        w.WriteString("SigningCertURL", signingCertUrl);
    });

    /// <summary>The event a Lambda function subscribed to a topic is invoked with.</summary>
    public static string LambdaEvent(Notification n, string subscriptionArn, string unsubscribeUrl) => Write(w =>
    {
        w.WriteStartArray("Records");
        w.WriteStartObject();
        w.WriteString("EventSource", "aws:sns");
        w.WriteString("EventVersion", "1.0");
        w.WriteString("EventSubscriptionArn", subscriptionArn);
        w.WriteStartObject("Sns");
        WriteNotification(w, n, unsubscribeUrl, lambda: true);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    });

    private static void WriteNotification(Utf8JsonWriter w, Notification n, string unsubscribeUrl, bool lambda)
    {
        w.WriteString("Type", "Notification");
        w.WriteString("MessageId", n.MessageId);
        if (n.SequenceNumber is { } sequence) w.WriteString("SequenceNumber", sequence);
        w.WriteString("TopicArn", n.TopicArn);
        if (n.Subject is { } subject) w.WriteString("Subject", subject);
        else if (lambda) w.WriteNull("Subject");
        w.WriteString("Message", n.Message);
        w.WriteString("Timestamp", n.Timestamp);
        w.WriteString("SignatureVersion", n.SignatureVersion);
        w.WriteString("Signature", n.Signature);
        // Lambda's event spells these two with "Url", the HTTP/SQS envelope with "URL".
        w.WriteString(lambda ? "SigningCertUrl" : "SigningCertURL", n.SigningCertUrl);
        w.WriteString(lambda ? "UnsubscribeUrl" : "UnsubscribeURL", unsubscribeUrl);
        if (n.Attributes.Count > 0 || lambda)
        {
            w.WriteStartObject("MessageAttributes");
            foreach (var a in n.Attributes)
            {
                w.WriteStartObject(a.Name);
                w.WriteString("Type", a.DataType);
                w.WriteString("Value", a.BinaryValue is { } binary ? Convert.ToBase64String(binary) : a.StringValue);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Indented))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
