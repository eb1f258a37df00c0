using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Nephele.Core.Gateway;
using Nephele.Core.State;

namespace Nephele.Services.Sns;

/// <summary>
/// SNS's non-AWS endpoints, at LocalStack's paths so existing test helpers work: the signing certificate, the
/// messages "sent" to phones, email addresses and platform endpoints, and subscription confirmation tokens.
/// </summary>
internal static class SnsInternalEndpoints
{
    private const string Prefix = "/_aws/sns";

    public static void Map(InternalRoutes routes, MessageSigner signer, IResourceTable recorded, IResourceTable subscriptions, IResourceTable optOuts, TimeProvider clock) =>
        routes.Map(Prefix, http => Handle(http, signer, recorded, subscriptions, optOuts, clock));

    private static Task Handle(HttpContext http, MessageSigner signer, IResourceTable recorded, IResourceTable subscriptions, IResourceTable optOuts, TimeProvider clock)
    {
        var path = (http.Request.Path.Value ?? "")[Prefix.Length..].TrimEnd('/');
        var method = http.Request.Method;
        if (method == "GET" && path.StartsWith("/SimpleNotificationService-", StringComparison.Ordinal) && path.EndsWith(".pem", StringComparison.Ordinal))
            return path == "/" + signer.CertificateFileName ? Text(http, 200, signer.CertificatePem, "application/x-pem-file") : Text(http, 404, "Not found", "text/plain");
        if (path.StartsWith("/subscription-tokens/", StringComparison.Ordinal) && method == "GET")
            return SubscriptionToken(http, Uri.UnescapeDataString(path["/subscription-tokens/".Length..]), subscriptions);
        return (method, path) switch
        {
            ("GET", "/sms-messages") => List(http, recorded, ["sms"], "sms_messages", "phoneNumber"),
            ("DELETE", "/sms-messages") => Clear(http, recorded, ["sms"], "phoneNumber"),
            ("GET", "/email-messages") => List(http, recorded, ["email", "email-json"], "email_messages", "email"),
            ("DELETE", "/email-messages") => Clear(http, recorded, ["email", "email-json"], "email"),
            ("GET", "/platform-endpoint-messages") => List(http, recorded, ["application"], "platform_endpoint_messages", "endpointArn"),
            ("DELETE", "/platform-endpoint-messages") => Clear(http, recorded, ["application"], "endpointArn"),
            ("POST", "/sms-opt-outs") => OptOut(http, optOuts, clock),
            _ => Text(http, 404, $"No internal endpoint {method} {http.Request.Path}.", "text/plain"),
        };
    }

    private static Scope ScopeOf(HttpContext http) =>
        new(http.Request.Query["accountId"].FirstOrDefault() ?? "000000000000", http.Request.Query["region"].FirstOrDefault() ?? "us-east-1");

    private static IEnumerable<(string Key, RecordedMessage Message)> Messages(IResourceTable recorded, Scope scope, string[] protocols) =>
        protocols.SelectMany(p => recorded.List(scope, p + "/"))
            .Select(r => (r.Key, JsonSerializer.Deserialize(r.Value, SnsJsonContext.Default.RecordedMessage)!))
            .OrderBy(m => m.Item2.Timestamp, StringComparer.Ordinal);

    // {"sms_messages": {"+15550100": [{...}]}, "region": "us-east-1"}: grouped by where they were sent, oldest first.
    private static async Task List(HttpContext http, IResourceTable recorded, string[] protocols, string property, string filter)
    {
        var scope = ScopeOf(http);
        var only = http.Request.Query[filter].FirstOrDefault();
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartObject(property);
            foreach (var group in Messages(recorded, scope, protocols).Select(m => m.Message).Where(m => only is null || m.Endpoint == only).GroupBy(m => m.Endpoint))
            {
                w.WriteStartArray(group.Key);
                foreach (var m in group)
                {
                    w.WriteStartObject();
                    w.WriteString("MessageId", m.MessageId);
                    w.WriteString(protocols[0] switch { "sms" => "PhoneNumber", "application" => "TargetArn", _ => "Endpoint" }, m.Endpoint);
                    w.WriteString("Protocol", m.Protocol);
                    if (m.TopicArn is not null) w.WriteString("TopicArn", m.TopicArn);
                    if (m.SubscriptionArn is not null) w.WriteString("SubscriptionArn", m.SubscriptionArn);
                    if (m.Subject is not null) w.WriteString("Subject", m.Subject);
                    w.WriteString("Message", m.Message);
                    if (m.MessageAttributes is { Count: > 0 } attributes)
                    {
                        w.WriteStartObject("MessageAttributes");
                        foreach (var (name, value) in attributes) w.WriteString(name, value);
                        w.WriteEndObject();
                    }
                    w.WriteString("Timestamp", m.Timestamp);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteString("region", scope.Region);
            w.WriteEndObject();
        }
        await Bytes(http, 200, buffer, "application/json");
    }

    private static Task Clear(HttpContext http, IResourceTable recorded, string[] protocols, string filter)
    {
        var scope = ScopeOf(http);
        var only = http.Request.Query[filter].FirstOrDefault();
        foreach (var (key, message) in Messages(recorded, scope, protocols).ToList())
            if (only is null || message.Endpoint == only) recorded.Delete(scope, key);
        http.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    // A recipient replying STOP: POST /_aws/sns/sms-opt-outs?phoneNumber=+15550100 puts the number on the account's opt-out list.
    private static Task OptOut(HttpContext http, IResourceTable optOuts, TimeProvider clock)
    {
        var phone = http.Request.Query["phoneNumber"].FirstOrDefault();
        if (string.IsNullOrEmpty(phone) || !phone.Any(char.IsAsciiDigit))
            return Text(http, 400, "Give the number that replied STOP as ?phoneNumber=+15550100.", "text/plain");
        SnsProvider.OptOut(optOuts, ScopeOf(http), phone, clock.GetUtcNow());
        http.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private static async Task SubscriptionToken(HttpContext http, string arn, IResourceTable subscriptions)
    {
        var parts = arn.Split(':');
        SubscriptionRecord? subscription = null;
        if (parts.Length == 7 && parts[0] == "arn")
            subscription = subscriptions.Get(new Scope(parts[4], parts[3]), $"{parts[5]}/{parts[6]}", SnsJsonContext.Default.SubscriptionRecord);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (subscription?.Token is { } token) w.WriteString("subscription_token", token);
            else w.WriteString("error", parts.Length == 7 ? "The provided SubscriptionARN is not found" : "The provided SubscriptionARN is invalid");
            w.WriteString("subscription_arn", arn);
            w.WriteEndObject();
        }
        await Bytes(http, subscription?.Token is not null ? 200 : parts.Length == 7 ? 404 : 400, buffer, "application/json");
    }

    private static Task Text(HttpContext http, int status, string text, string contentType) =>
        Bytes(http, status, System.Text.Encoding.UTF8.GetBytes(text), contentType);

    private static Task Bytes(HttpContext http, int status, MemoryStream body, string contentType) =>
        Bytes(http, status, body.ToArray(), contentType);

    private static async Task Bytes(HttpContext http, int status, byte[] body, string contentType)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body);
    }
}
