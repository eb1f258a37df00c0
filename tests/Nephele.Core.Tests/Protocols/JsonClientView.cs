using System.Text;
using Nephele.Core.Models;
using Nephele.Core.Protocols;
using Nephele.Core.Protocols.Json;
using Nephele.Core.Protocols.Rest;

namespace Nephele.Core.Tests.Protocols;

/// <summary>
/// Reads a rendered response back the way an SDK does (botocore's json and rest-json parsers), and
/// asserts an output case against it: status, the headers the case lists, the result or error, and
/// the body compared by meaning with the case's body.
/// </summary>
internal static class JsonClientView
{
    // Headers every response carries whatever the output; a client's "all headers" map would hold them too.
    private static readonly HashSet<string> ProtocolHeaders = new(StringComparer.OrdinalIgnoreCase) { "x-amzn-RequestId", "Content-Type" };

    // A request header that one output case lists on its response; no client reads it there.
    private static readonly HashSet<string> RequestOnlyHeaders = new(StringComparer.OrdinalIgnoreCase) { "X-Amz-Target" };

    public static void AssertResponse(OutputCase c, AwsResponse actual, bool rest)
    {
        Assert.True(c.StatusCode == actual.StatusCode, $"{c.Id}: expected status {c.StatusCode}, got {actual.StatusCode}");
        var shape = c.Error is null ? c.Operation.Output : ErrorShape(c);
        AssertHeaders(c, actual, shape, rest);
        if (c.Error is null) AssertResult(c, actual, rest);
        else AssertError(c, actual, shape, rest);
    }

    private static void AssertHeaders(OutputCase c, AwsResponse actual, Shape? shape, bool rest)
    {
        foreach (var (name, expected) in c.Headers)
        {
            if (RequestOnlyHeaders.Contains(name)) continue;
            var got = actual.Headers.Get(name);
            Assert.True(got is not null, $"{c.Id}: expected header {name}: {expected}, got none");
            if (got == expected) continue;
            var member = rest && shape is not null
                ? shape.Members.FirstOrDefault(m => m.Location == MemberLocation.Header && string.Equals(m.WireName, name, StringComparison.OrdinalIgnoreCase))
                : null;
            Assert.True(member is not null, $"{c.Id}: expected header {name}: {expected}, got {got}");
            // Same value by meaning: "1.10" and "1.1", or two spellings of one instant.
            ValueConverter.AssertEqual(RestBindings.ReadHeader(member, expected), RestBindings.ReadHeader(member, got), $"{c.Id} header {name}");
        }
    }

    private static void AssertResult(OutputCase c, AwsResponse actual, bool rest)
    {
        var body = actual.Body ?? [];
        var output = c.Operation.Output;
        if (output is null)
        {
            // Without an output shape a client reads nothing from the body, whatever the case's server sent.
            BodyAssert.JsonEqual("", Encoding.UTF8.GetString(body), c.Id);
            return;
        }
        var payload = rest && output.Payload is { } p ? output.FindMember(p) : null;
        if (payload is not null && !payload.Shape.IsDocument && payload.Shape.Type is ShapeType.Blob or ShapeType.String)
            Assert.Equal(c.Body, Encoding.UTF8.GetString(body));
        else
            BodyAssert.JsonEqual(Canonical(output, payload, c.Body, rest), Encoding.UTF8.GetString(body), c.Id);
        ValueConverter.AssertEqual(c.Result, ReadOutput(output, payload, actual, rest), "output");
    }

    /// <summary>The case's body as this protocol writes what a client reads from it: same meaning, one spelling.</summary>
    private static string Canonical(Shape output, Member? payload, string body, bool rest)
    {
        if (string.IsNullOrWhiteSpace(body)) return body;
        var bytes = Encoding.UTF8.GetBytes(body);
        if (payload is not null)
            return JsonValueReader.ReadValue(payload, bytes) is { } v ? Encoding.UTF8.GetString(JsonValueWriter.WriteValue(payload, v)) : "";
        return Encoding.UTF8.GetString(JsonValueWriter.WriteStructure(output, JsonValueReader.ReadStructure(output, bytes, rest), rest));
    }

    private static Dictionary<string, object?> ReadOutput(Shape output, Member? payload, AwsResponse actual, bool rest)
    {
        var body = actual.Body ?? [];
        if (!rest) return JsonValueReader.ReadStructure(output, body);
        var values = new Dictionary<string, object?>();
        RestBindings.ReadHeaders(output, actual.Headers, values);
        foreach (var m in output.Members)
        {
            if (m.Location == MemberLocation.StatusCode) values[m.Name] = (long)actual.StatusCode;
            if (m.Location == MemberLocation.Headers && (m.LocationName ?? "") == "" && values[m.Name] is Dictionary<string, object?> all)
                foreach (var h in ProtocolHeaders) all.Remove(h);
        }
        if (payload is null)
        {
            foreach (var (k, v) in JsonValueReader.ReadStructure(output, body, bodyMembersOnly: true)) values[k] = v;
            return values;
        }
        if (actual.BodyStream is { } stream) values[payload.Name] = stream;
        else if (body.Length == 0) { }
        else if (payload.Shape.IsDocument || payload.Shape.Type is not (ShapeType.Blob or ShapeType.String)) values[payload.Name] = JsonValueReader.ReadValue(payload, body);
        else values[payload.Name] = payload.Shape.Type == ShapeType.Blob ? body : Encoding.UTF8.GetString(body);
        return values;
    }

    private static void AssertError(OutputCase c, AwsResponse actual, Shape? shape, bool rest)
    {
        var error = c.Error!;
        var body = actual.Body ?? [];
        var json = body.Length == 0 ? null : System.Text.Json.Nodes.JsonNode.Parse(body);
        Assert.Equal(error.Code, ErrorCode(c.Model, actual, json));
        if (error.Message.Length > 0)
            Assert.Equal(error.Message, (string?)(json?["message"] ?? json?["Message"]));
        if (shape is null) return;
        var fields = JsonValueReader.ReadStructure(shape, body, rest);
        if (rest) RestBindings.ReadHeaders(shape, actual.Headers, fields);
        ValueConverter.AssertEqual(error.Fields, fields, "error");
    }

    /// <summary>The error code as botocore finds it: the query code when query-compatible, else the header, else the body.</summary>
    private static string? ErrorCode(ServiceModel model, AwsResponse actual, System.Text.Json.Nodes.JsonNode? body)
    {
        if (model.Metadata.AwsQueryCompatible && actual.Headers.Get("x-amzn-query-error") is { } query)
            return query.Split(';')[0];
        var code = actual.Headers.Get("x-amzn-ErrorType") ?? (string?)(body?["__type"] ?? body?["code"]);
        if (code is null) return null;
        code = code.Split(':')[0];
        return code.Contains('#') ? code[(code.IndexOf('#') + 1)..] : code;
    }

    private static Shape? ErrorShape(OutputCase c)
        => c.Operation.Errors.FirstOrDefault(e => e.Name == c.Error!.Code || e.ErrorCode == c.Error!.Code);
}
