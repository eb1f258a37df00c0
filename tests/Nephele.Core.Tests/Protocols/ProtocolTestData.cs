using System.Text.Json;
using Nephele.Core.Models;
using Nephele.Core.Protocols;

namespace Nephele.Core.Tests.Protocols;

/// <summary>
/// The AWS protocol test cases in ../shared/protocol-tests (or NEPHELE_PROTOCOL_TESTS), read backwards:
/// input cases give a request to parse into params, output cases a result to serialize into a response.
/// Cases are named by id strings so xunit lists each one.
/// </summary>
public static class ProtocolTestData
{
    public static string? Root { get; } = FindRoot();

    private static string? FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("NEPHELE_PROTOCOL_TESTS");
        if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? env : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "protocol-tests");
            if (Directory.Exists(candidate)) return candidate;
            candidate = Path.Combine(dir.FullName, "..", "shared", "protocol-tests");
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Nephele.slnx")) && Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        return null;
    }

    /// <summary>Skips a case listed in <paramref name="skipped"/> (case id -> why a server cannot meet it), saying why.</summary>
    public static void SkipIfListed(IReadOnlyDictionary<string, string> skipped, string caseId)
    {
        var id = caseId.Split('|')[^1];
        Skip.If(skipped.TryGetValue(id, out var reason), reason);
    }

    public const string MissingMessage = "../shared/protocol-tests is absent (set NEPHELE_PROTOCOL_TESTS to point at it)";

    private static readonly Dictionary<string, JsonElement> Files = [];

    private static JsonElement File(string kind, string file)
    {
        var key = kind + "/" + file;
        lock (Files)
        {
            if (!Files.TryGetValue(key, out var doc))
                Files[key] = doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(Path.Combine(Root!, kind, file))).RootElement;
            return doc;
        }
    }

    /// <summary>Case ids ("file|suite|case|id") of one input or output file, without ignored ones.
    /// When the folder is absent, one placeholder id so the theory reports a skip.</summary>
    public static TheoryData<string> Cases(string kind, params string[] files)
    {
        var data = new TheoryData<string>();
        if (Root is null) { data.Add("absent"); return data; }
        foreach (var file in files)
        {
            if (!System.IO.File.Exists(Path.Combine(Root, kind, file))) continue;
            var suites = File(kind, file);
            for (var s = 0; s < suites.GetArrayLength(); s++)
            {
                var suite = suites[s];
                var cases = suite.GetProperty("cases");
                for (var c = 0; c < cases.GetArrayLength(); c++)
                {
                    var id = cases[c].TryGetProperty("id", out var i) ? i.GetString() : $"case{c}";
                    if (!IsIgnored(kind, file, suite, id!)) data.Add($"{file}|{s}|{c}|{id}");
                }
            }
        }
        return data;
    }

    private static bool IsIgnored(string kind, string file, JsonElement suite, string id)
    {
        var ignore = JsonDocument.Parse(System.IO.File.ReadAllBytes(Path.Combine(Root!, "protocol-tests-ignore-list.json"))).RootElement;
        var description = suite.TryGetProperty("description", out var d) ? d.GetString() : null;
        if (ignore.TryGetProperty("general", out var general) && general.TryGetProperty(kind, out var g)
            && g.TryGetProperty("suites", out var suites) && suites.EnumerateArray().Any(x => x.GetString() == description))
            return true;
        var protocol = Path.GetFileNameWithoutExtension(file).Replace("-non-query-compatible", "").Replace("-query-compatible", "");
        return ignore.GetProperty("protocols").TryGetProperty(protocol, out var p) && p.TryGetProperty(kind, out var k)
            && k.TryGetProperty("cases", out var cases) && cases.EnumerateArray().Any(x => x.GetString() == id);
    }

    private static (ServiceModel Model, OperationModel Operation, JsonElement Case) Load(string kind, string caseId)
    {
        Skip.If(Root is null, MissingMessage);
        var parts = caseId.Split('|');
        var suite = File(kind, parts[0])[int.Parse(parts[1])];
        var testCase = suite.GetProperty("cases")[int.Parse(parts[2])];
        var shapes = suite.TryGetProperty("shapes", out var sh) ? sh : JsonDocument.Parse("{}").RootElement;
        var model = ServiceModel.Load(suite.GetProperty("metadata"), shapes, [testCase.GetProperty("given")]);
        return (model, model.Operations.Values.Single(), testCase);
    }

    public static InputCase LoadInput(string caseId)
    {
        var (model, op, c) = Load("input", caseId);
        var serialized = c.GetProperty("serialized");
        var headers = new HeaderMap();
        if (serialized.TryGetProperty("headers", out var h))
            foreach (var p in h.EnumerateObject()) headers.Add(p.Name, p.Value.GetString() ?? "");
        var body = serialized.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString()! : "";
        // CBOR bodies are base64 in the test data; everything else is text.
        var bytes = model.Metadata.Protocol == "smithy-rpc-v2-cbor" ? Convert.FromBase64String(body) : System.Text.Encoding.UTF8.GetBytes(body);
        var host = serialized.TryGetProperty("host", out var ho) ? ho.GetString()! : "localhost";
        var request = AwsRequest.FromBytes(serialized.GetProperty("method").GetString()!, serialized.GetProperty("uri").GetString()!, bytes, headers, host);
        return new InputCase(caseId, model, op, request, c.GetProperty("params"));
    }

    public static OutputCase LoadOutput(string caseId)
    {
        var (model, op, c) = Load("output", caseId);
        var response = c.GetProperty("response");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (response.TryGetProperty("headers", out var h))
            foreach (var p in h.EnumerateObject()) headers[p.Name] = p.Value.GetString() ?? "";
        var body = response.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString()! : "";
        var status = response.GetProperty("status_code").GetInt32();
        if (c.TryGetProperty("errorCode", out var code))
        {
            var errorShape = op.Errors.FirstOrDefault(e => e.Name == code.GetString() || e.ErrorCode == code.GetString());
            var fields = c.TryGetProperty("error", out var e) && errorShape is not null
                ? (Dictionary<string, object?>)ValueConverter.FromJson(errorShape, e)! : [];
            var message = c.TryGetProperty("errorMessage", out var m) ? m.GetString() ?? "" : "";
            return new OutputCase(caseId, model, op, null, new AwsException(code.GetString()!, message, status, errorShape?.ErrorSenderFault ?? true, fields),
                status, headers, body);
        }
        var result = op.Output is null ? [] : (Dictionary<string, object?>)ValueConverter.FromJson(op.Output, c.GetProperty("result"))!;
        return new OutputCase(caseId, model, op, result, null, status, headers, body);
    }
}

public sealed record InputCase(string Id, ServiceModel Model, OperationModel Operation, AwsRequest Request, JsonElement Params)
{
    /// <summary>Asserts that parsed input equals the case's params.</summary>
    public void AssertParsed(Dictionary<string, object?> parsed)
    {
        var expected = Operation.Input is null ? [] : (Dictionary<string, object?>)ValueConverter.FromJson(Operation.Input, Params)!;
        ValueConverter.AssertEqual(expected, parsed, "input");
    }
}

public sealed record OutputCase(string Id, ServiceModel Model, OperationModel Operation, Dictionary<string, object?>? Result,
    AwsException? Error, int StatusCode, Dictionary<string, string> Headers, string Body);
