using System.Net;
using System.Xml.Linq;

namespace Nephele.Services.Tests.Sns;

/// <summary>
/// Raw SNS query-protocol requests (AWSSDK.SimpleNotificationService is not on the package mirror): form-encoded
/// Action=... bodies, XML answers. Parameters use the query protocol's flattened names (Attributes.entry.1.key ...).
/// </summary>
public sealed class SnsClient(HttpClient http, string accessKey = "test", string region = "us-east-1")
{
    public async Task<XElement> Call(string action, params (string Name, string Value)[] parameters)
    {
        var (status, xml) = await Send(action, parameters);
        Assert.True(status == HttpStatusCode.OK, $"{action} answered {(int)status}: {xml}");
        return xml;
    }

    /// <summary>Expects an error; returns its HTTP status, code and message.</summary>
    public async Task<(HttpStatusCode Status, string Code, string Message)> Fail(string action, params (string Name, string Value)[] parameters)
    {
        var (status, xml) = await Send(action, parameters);
        Assert.True(status != HttpStatusCode.OK, $"{action} unexpectedly succeeded: {xml}");
        return (status, Value(xml, "Code")!, Value(xml, "Message") ?? "");
    }

    private async Task<(HttpStatusCode, XElement)> Send(string action, (string Name, string Value)[] parameters)
    {
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", "2010-03-31") };
        form.AddRange(parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new FormUrlEncodedContent(form) };
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKey}/20260101/{region}/sns/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, XElement.Parse(text));
    }

    /// <summary>The text of the first element with this local name, anywhere in the answer.</summary>
    public static string? Value(XElement xml, string name) => xml.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    public static List<string> Values(XElement xml, string name) => [.. xml.Descendants().Where(e => e.Name.LocalName == name).Select(e => e.Value)];

    /// <summary>A map answer (Attributes) as a dictionary of its entry key/value pairs.</summary>
    public static Dictionary<string, string> Map(XElement xml) => xml.Descendants().Where(e => e.Name.LocalName == "entry")
        .ToDictionary(e => e.Elements().First(x => x.Name.LocalName == "key").Value, e => e.Elements().First(x => x.Name.LocalName == "value").Value);

    /// <summary>Query-protocol parameters of a map member: Name.entry.N.key / Name.entry.N.value.</summary>
    public static (string, string)[] MapParameters(string member, IReadOnlyDictionary<string, string> map) =>
        [.. map.SelectMany((kv, i) => new[] { ($"{member}.entry.{i + 1}.key", kv.Key), ($"{member}.entry.{i + 1}.value", kv.Value) })];

    public async Task<string> CreateTopic(string name, IReadOnlyDictionary<string, string>? attributes = null) =>
        Value(await Call("CreateTopic", [("Name", name), .. MapParameters("Attributes", attributes ?? new Dictionary<string, string>())]), "TopicArn")!;

    public async Task<string> Subscribe(string topicArn, string protocol, string endpoint, IReadOnlyDictionary<string, string>? attributes = null, bool returnArn = false) =>
        Value(await Call("Subscribe", [("TopicArn", topicArn), ("Protocol", protocol), ("Endpoint", endpoint), ("ReturnSubscriptionArn", returnArn ? "true" : "false"),
            .. MapParameters("Attributes", attributes ?? new Dictionary<string, string>())]), "SubscriptionArn")!;

    public async Task<string> Publish(string topicArn, string message, params (string Name, string Value)[] extra) =>
        Value(await Call("Publish", [("TopicArn", topicArn), ("Message", message), .. extra]), "MessageId")!;

    /// <summary>Message attribute parameters: MessageAttributes.entry.N.Name / .Value.DataType / .Value.StringValue.</summary>
    public static (string, string)[] Attributes(params (string Name, string Type, string Value)[] attributes) =>
        [.. attributes.SelectMany((a, i) => new[]
        {
            ($"MessageAttributes.entry.{i + 1}.Name", a.Name),
            ($"MessageAttributes.entry.{i + 1}.Value.DataType", a.Type),
            ($"MessageAttributes.entry.{i + 1}.Value.{(a.Type.StartsWith("Binary", StringComparison.Ordinal) ? "BinaryValue" : "StringValue")}", a.Value),
        })];

    public async Task<Dictionary<string, string>> TopicAttributes(string topicArn) => Map(await Call("GetTopicAttributes", ("TopicArn", topicArn)));

    public async Task<Dictionary<string, string>> SubscriptionAttributes(string subscriptionArn) =>
        Map(await Call("GetSubscriptionAttributes", ("SubscriptionArn", subscriptionArn)));
}
