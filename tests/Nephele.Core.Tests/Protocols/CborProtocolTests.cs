using Nephele.Core.Protocols.Cbor;

namespace Nephele.Core.Tests.Protocols;

/// <summary>The smithy-rpc-v2-cbor protocol test suites, read from the server's side.</summary>
public sealed class CborProtocolTests
{
    private static readonly string[] Files =
        ["smithy-rpc-v2-cbor.json", "smithy-rpc-v2-cbor-query-compatible.json", "smithy-rpc-v2-cbor-non-query-compatible.json"];

    public static TheoryData<string> InputCases => ProtocolTestData.Cases("input", Files);
    public static TheoryData<string> OutputCases => ProtocolTestData.Cases("output", Files);

    /// <summary>Cases a server cannot pass, with the reason. Everything else must pass.</summary>
    public static readonly IReadOnlyDictionary<string, string> Skipped = new Dictionary<string, string>
    {
        ["NoOutputClientAllowsEmptyCbor"] =
            "client-only (appliesTo: client in Smithy): a server answers an operation without output with no body and no Content-Type, as no_output requires",
        ["NoOutputClientAllowsEmptyBody"] =
            "client-only (appliesTo: client in Smithy): it expects Content-Type on an empty body, which no_output forbids a server to send",
        ["RpcV2CborPayloadWithUnsetUnion"] =
            "broken data: its body is another case's (doubleValue/floatValue -Infinity, not members of the output) and it expects Content-Length 0 with that non-empty body",
    };

    private readonly CborProtocol _protocol = new();

    [SkippableTheory]
    [MemberData(nameof(InputCases))]
    public async Task Each_request_is_routed_and_parsed_into_the_params_the_client_sent(string caseId)
    {
        var c = ProtocolTestData.LoadInput(caseId);
        ProtocolTestData.SkipIfListed(Skipped, caseId);

        var operation = _protocol.ResolveOperation(c.Model, c.Request);
        Assert.Same(c.Operation, operation);
        var parsed = await _protocol.ParseAsync(c.Model, c.Operation, c.Request);
        c.AssertParsed(parsed);
    }

    [SkippableTheory]
    [MemberData(nameof(OutputCases))]
    public void Each_result_is_serialized_into_the_response_the_client_expects(string caseId)
    {
        var c = ProtocolTestData.LoadOutput(caseId);
        ProtocolTestData.SkipIfListed(Skipped, caseId);

        var response = c.Error is null
            ? _protocol.Serialize(c.Model, c.Operation, c.Result!, "request-1")
            : _protocol.SerializeError(c.Model, c.Operation, c.Error, "request-1");

        Assert.Equal(c.StatusCode, response.StatusCode);
        foreach (var (name, value) in c.Headers)
            Assert.True(response.Headers.Get(name) == value, $"{c.Id}: header {name} should be '{value}', was '{response.Headers.Get(name)}'");
        CborBodyAssert.Equal(Convert.FromBase64String(c.Body), response.Body ?? [], c.Id);
    }
}
