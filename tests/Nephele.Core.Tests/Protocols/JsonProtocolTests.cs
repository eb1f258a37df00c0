using System.Text;
using Nephele.Core.Models;
using Nephele.Core.Protocols;
using Nephele.Core.Protocols.Json;

namespace Nephele.Core.Tests.Protocols;

public sealed class JsonProtocolTests
{
    private static readonly JsonProtocol Protocol = new();

    public static TheoryData<string> InputCases => ProtocolTestData.Cases("input", "json.json", "json_1_0.json", "json_1_0-query-compatible.json");
    public static TheoryData<string> OutputCases => ProtocolTestData.Cases("output", "json.json", "json_1_0.json", "json_1_0-query-compatible.json");

    /// <summary>Cases that test what only a client does; a server has nothing to read or write there.</summary>
    private static readonly Dictionary<string, string> NotForServers = new()
    {
        ["AwsJson10EndpointTrait"] = "Client host-prefix test: the recorded request has no X-Amz-Target, so nothing names the operation.",
        ["AwsJson10EndpointTraitWithHostLabel"] = "Client host-prefix test: the recorded request has no X-Amz-Target, so nothing names the operation.",
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
        JsonClientView.AssertResponse(c, response, rest: false);
    }

    [Fact]
    public void Resolves_the_operation_named_by_X_Amz_Target()
    {
        var sqs = Models.Load("sqs");
        Assert.Equal("SendMessage", Protocol.ResolveOperation(sqs, Post("AmazonSQS.SendMessage", "{}"))?.Name);
    }

    [Fact]
    public void Resolves_an_operation_named_under_another_target_prefix()
    {
        var dynamodb = Models.Load("dynamodb");
        Assert.Equal("ListTables", Protocol.ResolveOperation(dynamodb, Post("DynamoDB_20111205.ListTables", "{}"))?.Name);
    }

    [Fact]
    public void Finds_no_operation_for_an_unknown_or_missing_target()
    {
        var sqs = Models.Load("sqs");
        Assert.Null(Protocol.ResolveOperation(sqs, Post("AmazonSQS.LaunchRocket", "{}")));
        Assert.Null(Protocol.ResolveOperation(sqs, Post(null, "{}")));
    }

    [Fact]
    public async Task Reads_an_SQS_SendMessage_request_as_a_client_sends_it()
    {
        var sqs = Models.Load("sqs");
        var input = await Parse(sqs, "SendMessage", """
            {"QueueUrl":"http://localhost:4566/000000000000/q","MessageBody":"hi","DelaySeconds":5,"Unknown":{"x":[1]},
             "MessageAttributes":{"color":{"DataType":"String","StringValue":"red","BinaryValue":null}}}
            """);
        Assert.Equal("hi", input["MessageBody"]);
        Assert.Equal(5L, input["DelaySeconds"]);
        Assert.False(input.ContainsKey("Unknown"));
        var color = Assert.IsType<Dictionary<string, object?>>(Assert.IsType<Dictionary<string, object?>>(input["MessageAttributes"])["color"]);
        Assert.Equal("red", color["StringValue"]);
        Assert.False(color.ContainsKey("BinaryValue"));
    }

    [Fact]
    public async Task An_empty_body_reads_as_no_input()
    {
        Assert.Empty(await Parse(Models.Load("sqs"), "ListQueues", ""));
    }

    [Theory]
    [InlineData("{\"QueueUrl\":", "not valid JSON")]
    [InlineData("[1,2]", "a JSON object")]
    [InlineData("{\"QueueUrl\":\"q\"} {}", "not valid JSON")]
    [InlineData("{\"QueueUrl\":\"q\",\"MessageBody\":\"m\",\"DelaySeconds\":\"5\"}", "DelaySeconds")]
    [InlineData("{\"QueueUrl\":\"q\",\"MessageBody\":\"m\",\"DelaySeconds\":1.5}", "DelaySeconds")]
    [InlineData("{\"QueueUrl\":42,\"MessageBody\":\"m\"}", "QueueUrl")]
    public async Task Malformed_or_mistyped_input_is_a_SerializationException_with_status_400(string body, string mentioned)
    {
        var e = await Assert.ThrowsAsync<AwsException>(() => Parse(Models.Load("sqs"), "SendMessage", body));
        Assert.Equal("SerializationException", e.Code);
        Assert.Equal(400, e.HttpStatus);
        Assert.Contains(mentioned, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_compatible_errors_name_the_legacy_code_in_x_amzn_query_error()
    {
        var model = QueryCompatibleModel();
        var op = model.Operations["SendMessage"];
        var response = Protocol.SerializeError(model, op, new AwsException("QueueDoesNotExist", "The specified queue does not exist."), "r1");
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("QueueDoesNotExist", response.Headers.Get("x-amzn-ErrorType"));
        Assert.Equal("AWS.SimpleQueueService.NonExistentQueue;Sender", response.Headers.Get("x-amzn-query-error"));
        Assert.Equal("application/x-amz-json-1.0", response.ContentType);
        BodyAssert.JsonEqual("""{"__type":"QueueDoesNotExist","message":"The specified queue does not exist."}""", Encoding.UTF8.GetString(response.Body!), "body");

        // Thrown by its wire code, the same shape is found; a server fault is the Receiver's.
        var byCode = Protocol.SerializeError(model, op, new AwsException("AWS.SimpleQueueService.NonExistentQueue", "gone", 500, senderFault: false), "r2");
        Assert.Equal("QueueDoesNotExist", byCode.Headers.Get("x-amzn-ErrorType"));
        Assert.Equal("AWS.SimpleQueueService.NonExistentQueue;Receiver", byCode.Headers.Get("x-amzn-query-error"));
    }

    [Fact]
    public void Errors_of_a_service_that_is_not_query_compatible_carry_no_x_amzn_query_error()
    {
        var dynamodb = Models.Load("dynamodb");
        var response = Protocol.SerializeError(dynamodb, dynamodb.Operations["GetItem"], new AwsException("ResourceNotFoundException", "Requested resource not found"), "r");
        Assert.False(response.Headers.Contains("x-amzn-query-error"));
        Assert.Equal("ResourceNotFoundException", response.Headers.Get("x-amzn-ErrorType"));
        Assert.Equal("r", response.Headers.Get("x-amzn-RequestId"));
    }

    [Fact]
    public void Modeled_error_members_travel_in_the_body_with_the_shape_s_message_key()
    {
        var dynamodb = Models.Load("dynamodb");
        var fields = new Dictionary<string, object?>
        {
            ["CancellationReasons"] = new List<object?> { new Dictionary<string, object?> { ["Code"] = "ConditionalCheckFailed", ["Message"] = "The conditional request failed" } },
        };
        var error = new AwsException("TransactionCanceledException", "Transaction cancelled", fields: fields);
        var response = Protocol.SerializeError(dynamodb, dynamodb.Operations["TransactWriteItems"], error, "r");
        BodyAssert.JsonEqual("""
            {"__type":"TransactionCanceledException","Message":"Transaction cancelled",
             "CancellationReasons":[{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]}
            """, Encoding.UTF8.GetString(response.Body!), "body");
    }

    [Fact]
    public void Timestamps_are_epoch_seconds_keeping_their_fraction()
    {
        var dynamodb = Models.Load("dynamodb");
        var created = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var output = new Dictionary<string, object?> { ["Table"] = new Dictionary<string, object?> { ["TableName"] = "t", ["CreationDateTime"] = created } };
        var response = Protocol.Serialize(dynamodb, dynamodb.Operations["DescribeTable"], output, "r");
        BodyAssert.JsonEqual("""{"Table":{"TableName":"t","CreationDateTime":1700000000.123}}""", Encoding.UTF8.GetString(response.Body!), "body");
        Assert.Equal("application/x-amz-json-1.0", response.ContentType);
    }

    private static async Task<Dictionary<string, object?>> Parse(ServiceModel model, string operation, string body)
        => await Protocol.ParseAsync(model, model.Operations[operation], Post(model.Metadata.TargetPrefix + "." + operation, body));

    private static AwsRequest Post(string? target, string body)
    {
        var headers = new HeaderMap();
        if (target is not null) headers.Add("X-Amz-Target", target);
        headers.Add("Content-Type", "application/x-amz-json-1.0");
        return AwsRequest.FromBytes("POST", "/", Encoding.UTF8.GetBytes(body), headers);
    }

    // SQS as Smithy renders it today: JSON, awsQueryCompatible, legacy codes on the error shapes.
    private static ServiceModel QueryCompatibleModel()
    {
        using var doc = System.Text.Json.JsonDocument.Parse("""
            {"metadata":{"protocol":"json","jsonVersion":"1.0","targetPrefix":"AmazonSQS","awsQueryCompatible":{}},
             "shapes":{"SendMessageRequest":{"type":"structure","members":{"QueueUrl":{"shape":"String"}}},
                       "String":{"type":"string"},
                       "QueueDoesNotExist":{"type":"structure","members":{"message":{"shape":"String"}},"exception":true,
                         "error":{"code":"AWS.SimpleQueueService.NonExistentQueue","httpStatusCode":400,"senderFault":true}}},
             "operation":{"name":"SendMessage","http":{"method":"POST","requestUri":"/"},"input":{"shape":"SendMessageRequest"},
                          "errors":[{"shape":"QueueDoesNotExist"}]}}
            """);
        var root = doc.RootElement;
        return ServiceModel.Load(root.GetProperty("metadata").Clone(), root.GetProperty("shapes").Clone(), [root.GetProperty("operation").Clone()]);
    }
}
