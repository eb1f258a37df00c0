using System.Text;
using Nephele.Core.Models;
using Nephele.Core.Protocols;
using Nephele.Core.Protocols.Rest;

namespace Nephele.Core.Tests.Protocols;

public sealed class RestJsonProtocolTests
{
    private static readonly RestJsonProtocol Protocol = new();

    public static TheoryData<string> InputCases => ProtocolTestData.Cases("input", "rest-json.json");
    public static TheoryData<string> OutputCases => ProtocolTestData.Cases("output", "rest-json.json");

    /// <summary>Cases that test what only a client does; a server has nothing to read or write there.</summary>
    private static readonly Dictionary<string, string> NotForServers = new()
    {
        ["RestJsonOmitsEmptyListQueryValues"] = "Client test: an empty list sends no query parameter, which a server can only read as absent, not as [].",
        ["RestJsonQueryParamsStringListMap"] = "Client-only in smithy (appliesTo: client); servers put every query parameter in the map, bound ones too, as RestJsonAllQueryStringTypes expects.",
    };

    [SkippableTheory]
    [MemberData(nameof(InputCases))]
    public async Task Parses_the_request_a_client_sent(string caseId)
    {
        ProtocolTestData.SkipIfListed(NotForServers, caseId);
        var c = ProtocolTestData.LoadInput(caseId);
        Assert.Same(c.Operation, Protocol.ResolveOperation(c.Model, c.Request));
        c.AssertParsed(await Protocol.ParseAsync(c.Model, c.Operation, c.Request));
    }

    [SkippableTheory]
    [MemberData(nameof(OutputCases))]
    public void Renders_a_response_the_client_reads_back(string caseId)
    {
        ProtocolTestData.SkipIfListed(NotForServers, caseId);
        var c = ProtocolTestData.LoadOutput(caseId);
        var requestId = c.Headers.GetValueOrDefault("X-Amzn-Requestid") ?? "test-request";
        var response = c.Error is null
            ? Protocol.Serialize(c.Model, c.Operation, c.Result!, requestId)
            : Protocol.SerializeError(c.Model, c.Operation, c.Error, requestId);
        JsonClientView.AssertResponse(c, response, rest: true);
    }

    [Fact]
    public async Task Reads_a_Lambda_invoke_from_its_label_header_query_and_raw_payload()
    {
        var lambda = Models.Load("lambda");
        var headers = new HeaderMap { { "X-Amz-Invocation-Type", "Event" } };
        var request = AwsRequest.FromBytes("POST", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af/invocations?Qualifier=%24LATEST",
            Encoding.UTF8.GetBytes("{\"k\":1}"), headers);
        var op = Protocol.ResolveOperation(lambda, request);
        Assert.Equal("Invoke", op?.Name);
        var input = await Protocol.ParseAsync(lambda, op!, request);
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:f", input["FunctionName"]);
        Assert.Equal("Event", input["InvocationType"]);
        Assert.Equal("$LATEST", input["Qualifier"]);
        Assert.Equal("{\"k\":1}", Encoding.UTF8.GetString(Assert.IsType<byte[]>(input["Payload"])));
    }

    [Fact]
    public void The_most_specific_template_wins_and_a_required_query_key_counts()
    {
        var lambda = Models.Load("lambda");
        Assert.Equal("ListProvisionedConcurrencyConfigs",
            Protocol.ResolveOperation(lambda, Get("/2019-09-30/functions/f/provisioned-concurrency?List=ALL"))?.Name);
        Assert.Equal("GetProvisionedConcurrencyConfig",
            Protocol.ResolveOperation(lambda, Get("/2019-09-30/functions/f/provisioned-concurrency?Qualifier=1"))?.Name);
        Assert.Equal("GetFunctionConfiguration", Protocol.ResolveOperation(lambda, Get("/2015-03-31/functions/f/configuration/"))?.Name);
    }

    [Fact]
    public void Finds_no_operation_for_an_unknown_path_or_method()
    {
        var lambda = Models.Load("lambda");
        Assert.Null(Protocol.ResolveOperation(lambda, Get("/2015-03-31/rockets")));
        Assert.Null(Protocol.ResolveOperation(lambda, AwsRequest.FromBytes("PATCH", "/2015-03-31/functions/f", [], new HeaderMap())));
    }

    [Fact]
    public async Task A_malformed_JSON_body_is_a_SerializationException_with_status_400()
    {
        var lambda = Models.Load("lambda");
        var request = AwsRequest.FromBytes("POST", "/2015-03-31/functions", Encoding.UTF8.GetBytes("{\"FunctionName\":"), new HeaderMap());
        var e = await Assert.ThrowsAsync<AwsException>(async () => await Protocol.ParseAsync(lambda, lambda.Operations["CreateFunction"], request));
        Assert.Equal(("SerializationException", 400), (e.Code, e.HttpStatus));
    }

    [Fact]
    public async Task A_header_that_is_not_a_number_is_a_SerializationException()
    {
        var model = Model("""{"type":"structure","members":{"Count":{"shape":"Integer","location":"header","locationName":"X-Count"}}}""");
        var request = AwsRequest.FromBytes("GET", "/things", [], new HeaderMap { { "X-Count", "many" } });
        var e = await Assert.ThrowsAsync<AwsException>(async () => await Protocol.ParseAsync(model, model.Operations["GetThings"], request));
        Assert.Equal(("SerializationException", 400), (e.Code, e.HttpStatus));
        Assert.Contains("X-Count", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_status_comes_from_the_status_code_member_else_the_operation()
    {
        var lambda = Models.Load("lambda");
        var added = Protocol.Serialize(lambda, lambda.Operations["AddPermission"], new() { ["Statement"] = "{}" }, "r");
        Assert.Equal(201, added.StatusCode);
        Assert.Equal("application/json", added.ContentType);

        var invoked = Protocol.Serialize(lambda, lambda.Operations["Invoke"],
            new() { ["StatusCode"] = 202, ["ExecutedVersion"] = "$LATEST", ["Payload"] = Encoding.UTF8.GetBytes("null") }, "r");
        Assert.Equal(202, invoked.StatusCode);
        Assert.Equal("$LATEST", invoked.Headers.Get("X-Amz-Executed-Version"));
        Assert.Equal("null", Encoding.UTF8.GetString(invoked.Body!));
    }

    [Fact]
    public void Errors_name_their_code_in_x_amzn_ErrorType_and_the_body()
    {
        var lambda = Models.Load("lambda");
        var error = new AwsException("ResourceNotFoundException", "Function not found: f", 404, fields: new() { ["Type"] = "User" });
        var response = Protocol.SerializeError(lambda, lambda.Operations["GetFunction"], error, "r");
        Assert.Equal(404, response.StatusCode);
        Assert.Equal("ResourceNotFoundException", response.Headers.Get("x-amzn-ErrorType"));
        Assert.Equal("r", response.Headers.Get("x-amzn-RequestId"));
        BodyAssert.JsonEqual("""{"__type":"ResourceNotFoundException","Message":"Function not found: f","Type":"User"}""",
            Encoding.UTF8.GetString(response.Body!), "body");
    }

    private static AwsRequest Get(string pathAndQuery) => AwsRequest.FromBytes("GET", pathAndQuery, [], new HeaderMap());

    private static ServiceModel Model(string inputShape)
    {
        using var doc = System.Text.Json.JsonDocument.Parse("""
            {"metadata":{"protocol":"rest-json"},
             "shapes":{"Input":INPUT,"Integer":{"type":"integer"},"String":{"type":"string"}},
             "operation":{"name":"GetThings","http":{"method":"GET","requestUri":"/things"},"input":{"shape":"Input"}}}
            """.Replace("INPUT", inputShape, StringComparison.Ordinal));
        var root = doc.RootElement;
        return ServiceModel.Load(root.GetProperty("metadata").Clone(), root.GetProperty("shapes").Clone(), [root.GetProperty("operation").Clone()]);
    }
}
