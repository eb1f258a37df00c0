using System.Text;
using System.Xml.Linq;
using Nephele.Core.Models;
using Nephele.Core.Protocols;

namespace Nephele.Core.Tests.Protocols;

/// <summary>
/// Runs protocol test cases through a query, ec2 or rest-xml protocol, server side: input cases must
/// resolve and parse to the case's params; output cases must render the case's status, listed headers
/// and a body a client reads the same way.
/// </summary>
public static class XmlProtocolCases
{
    /// <summary>A form POST as query clients send it.</summary>
    public static AwsRequest FormPost(string form) =>
        AwsRequest.FromBytes("POST", "/", Encoding.UTF8.GetBytes(form),
            new HeaderMap { { "Content-Type", "application/x-www-form-urlencoded; charset=utf-8" } });

    public static XElement Xml(AwsResponse response) => XElement.Parse(Encoding.UTF8.GetString(response.Body!));

    public static async Task AssertInputAsync(IWireProtocol protocol, string caseId)
    {
        var c = ProtocolTestData.LoadInput(caseId);
        var operation = protocol.ResolveOperation(c.Model, c.Request);
        Assert.True(operation is not null, $"{c.Id}: no operation resolved");
        Assert.Equal(c.Operation.Name, operation.Name);
        var parsed = await protocol.ParseAsync(c.Model, operation, c.Request);
        // rest-xml params come from client tests, which leave an httpQueryParams map out; a server
        // (smithy's rest-json server cases) fills it with every query parameter, so an unlisted one is not compared.
        foreach (var m in c.Operation.Input?.Members ?? [])
            if (m.Location == MemberLocation.QueryString && m.Shape.Type == ShapeType.Map && !c.Params.TryGetProperty(m.Name, out _))
                parsed.Remove(m.Name);
        c.AssertParsed(parsed);
    }

    /// <summary>
    /// The suites come from client tests, so the expected bodies differ from a real server's in two ways a
    /// client never sees, which are normalised here:
    /// - <paramref name="suiteNamespace"/>: the suites' metadata drops the service xmlNamespace
    ///   (https://example.com/) their query/ec2 bodies carry, so the response's root namespace is compared as
    ///   the expected one; members' own namespaces are still compared.
    /// - request metadata (query ResponseMetadata, ec2 requestId) that a case leaves out is not compared,
    ///   and where a case expects no body, a body of empty wrapper elements passes.
    /// Content-Type is compared by media type (ec2 cases list both text/xml and text/xml;charset=UTF-8).
    /// </summary>
    public static void AssertOutput(IWireProtocol protocol, string caseId, bool suiteNamespace)
    {
        var c = ProtocolTestData.LoadOutput(caseId);
        var requestId = c.Error is null ? "requestid" : "foo-id";
        var response = c.Error is null
            ? protocol.Serialize(c.Model, c.Operation, c.Result!, requestId)
            : protocol.SerializeError(c.Model, c.Operation, c.Error, requestId);

        Assert.True(c.StatusCode == response.StatusCode, $"{c.Id}: expected status {c.StatusCode}, got {response.StatusCode}");
        var body = Body(response);
        foreach (var (name, expected) in c.Headers)
        {
            var actual = response.Headers.Get(name);
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) actual ??= body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                Assert.True(MediaType(expected) == MediaType(actual), $"{c.Id}: expected Content-Type {expected}, got {actual}");
            else
                Assert.True(expected == actual, $"{c.Id}: expected header {name}: {expected}, got {actual ?? "(absent)"}");
        }

        var text = Encoding.UTF8.GetString(body);
        if (IsXml(c.Body) || IsXml(text))
        {
            var (expectedXml, actualXml) = Normalise(c.Body, text, suiteNamespace && c.Model.Metadata.XmlNamespace is null);
            BodyAssert.XmlEqual(expectedXml, actualXml, c.Id);
        }
        else
        {
            Assert.True(c.Body == text, $"{c.Id}: expected body '{c.Body}', got '{text}'");
        }
    }

    private static byte[] Body(AwsResponse response)
    {
        if (response.Body is not null) return response.Body;
        if (response.BodyStream is null) return [];
        using var ms = new MemoryStream();
        response.BodyStream.CopyTo(ms);
        return ms.ToArray();
    }

    private static bool IsXml(string body) => body.TrimStart().StartsWith('<');

    private static string? MediaType(string? contentType) => contentType?.Split(';')[0].Trim().ToLowerInvariant();

    private static bool CarriesData(XElement e) =>
        e.Value.Trim().Length > 0 || e.DescendantsAndSelf().Attributes().Any(a => !a.IsNamespaceDeclaration);

    private static (string Expected, string Actual) Normalise(string expectedBody, string actualBody, bool takeRootNamespace)
    {
        if (!IsXml(actualBody)) return (expectedBody, actualBody);
        var actual = XElement.Parse(actualBody);
        var expected = IsXml(expectedBody) ? XElement.Parse(expectedBody) : null;

        foreach (var metadata in new[] { "ResponseMetadata", "requestId" })
            if (expected?.Elements().Any(e => e.Name.LocalName == metadata) != true)
                actual.Elements().Where(e => e.Name.LocalName == metadata).Remove();
        // An empty body and a response of empty wrappers carry the same (nothing) to a client.
        if (expected is null)
            return (expectedBody, CarriesData(actual) ? actual.ToString() : "");

        if (takeRootNamespace)
        {
            var from = actual.Name.Namespace;
            var to = expected.Name.Namespace;
            foreach (var e in actual.DescendantsAndSelf())
            {
                e.Attributes().Where(a => a.IsNamespaceDeclaration && a.Name.LocalName == "xmlns" && a.Value == from.NamespaceName).Remove();
                if (e.Name.Namespace == from) e.Name = to + e.Name.LocalName;
            }
        }
        return (expectedBody, actual.ToString());
    }
}
