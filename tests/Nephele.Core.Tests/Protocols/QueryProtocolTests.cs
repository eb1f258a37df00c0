using System.Text;
using System.Xml.Linq;
using Nephele.Core.Protocols;
using Nephele.Core.Protocols.Query;

namespace Nephele.Core.Tests.Protocols;

public sealed class QueryProtocolTests
{
    private static readonly QueryProtocol Protocol = new();

    /// <summary>Cases a server cannot meet, beyond the shared ignore list; each with its reason.</summary>
    private static readonly Dictionary<string, string> Skipped = new()
    {
        ["QueryEmptyQueryMaps"] = "a client sends nothing for an empty map, so a server cannot tell it from an absent one",
    };

    public static TheoryData<string> InputCases => ProtocolTestData.Cases("input", "query.json");
    public static TheoryData<string> OutputCases => ProtocolTestData.Cases("output", "query.json");

    [SkippableTheory]
    [MemberData(nameof(InputCases))]
    public async Task Reads_the_params_a_query_client_sent(string caseId)
    {
        ProtocolTestData.SkipIfListed(Skipped, caseId);
        await XmlProtocolCases.AssertInputAsync(Protocol, caseId);
    }

    [SkippableTheory]
    [MemberData(nameof(OutputCases))]
    public void Renders_the_response_a_query_client_expects(string caseId)
    {
        ProtocolTestData.SkipIfListed(Skipped, caseId);
        XmlProtocolCases.AssertOutput(Protocol, caseId, suiteNamespace: true);
    }

    private static readonly XNamespace Sqs = "http://queue.amazonaws.com/doc/2012-11-05/";

    [Theory]
    [InlineData("Action=NoSuchThing&Version=2012-11-05")]
    [InlineData("Version=2012-11-05&QueueName=q")]
    [InlineData("")]
    public void A_missing_or_unknown_action_names_no_operation(string form)
    {
        Assert.Null(Protocol.ResolveOperation(Models.Load("sqs-query"), XmlProtocolCases.FormPost(form)));
    }

    [Fact]
    public async Task Reads_action_and_parameters_from_the_query_string_of_a_get()
    {
        var model = Models.Load("sqs-query");
        var request = AwsRequest.FromBytes("GET", "/?Action=CreateQueue&QueueName=orders&Attribute.1.Name=DelaySeconds&Attribute.1.Value=5", [], new HeaderMap());

        var operation = Protocol.ResolveOperation(model, request);
        var input = await Protocol.ParseAsync(model, operation!, request);

        Assert.Equal("CreateQueue", operation!.Name);
        Assert.Equal("orders", input.GetString("QueueName"));
        Assert.Equal("5", input.GetStringMap("Attributes")["DelaySeconds"]);
    }

    [Fact]
    public async Task Reads_flattened_lists_named_by_their_items_as_sqs_clients_send_them()
    {
        var model = Models.Load("sqs-query");
        var request = XmlProtocolCases.FormPost("Action=ReceiveMessage&QueueUrl=http%3A%2F%2Flocalhost%2F000000000000%2Fq"
            + "&AttributeName.1=All&MessageAttributeName.1=color&MessageAttributeName.2=size&MaxNumberOfMessages=10");

        var input = await Protocol.ParseAsync(model, Protocol.ResolveOperation(model, request)!, request);

        Assert.Equal("http://localhost/000000000000/q", input.GetString("QueueUrl"));
        Assert.Equal(["All"], input.GetStrings("AttributeNames"));
        Assert.Equal(["color", "size"], input.GetStrings("MessageAttributeNames"));
        Assert.Equal(10L, input.GetLong("MaxNumberOfMessages"));
    }

    [Fact]
    public async Task Reads_structured_map_values_in_entry_order()
    {
        var model = Models.Load("sqs-query");
        var request = XmlProtocolCases.FormPost("Action=SendMessage&QueueUrl=u&MessageBody=hi+there"
            + "&MessageAttribute.2.Name=size&MessageAttribute.2.Value.DataType=Number&MessageAttribute.2.Value.StringValue=3"
            + "&MessageAttribute.1.Name=color&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=red");

        var input = await Protocol.ParseAsync(model, Protocol.ResolveOperation(model, request)!, request);

        Assert.Equal("hi there", input.GetString("MessageBody"));
        var attributes = input.GetStruct("MessageAttributes")!;
        Assert.Equal(["color", "size"], attributes.Keys);
        Assert.Equal("Number", ((Dictionary<string, object?>)attributes["size"]!).GetString("DataType"));
    }

    [Theory]
    [InlineData("MaxNumberOfMessages=abc")]
    [InlineData("MaxNumberOfMessages=99999999999")]
    [InlineData("VisibilityTimeout=1.5")]
    public async Task A_value_that_is_not_of_its_type_is_an_invalid_parameter_value(string parameter)
    {
        var model = Models.Load("sqs-query");
        var request = XmlProtocolCases.FormPost("Action=ReceiveMessage&QueueUrl=u&" + parameter);

        var error = await Assert.ThrowsAsync<AwsException>(async () => await Protocol.ParseAsync(model, Protocol.ResolveOperation(model, request)!, request));

        Assert.Equal("InvalidParameterValue", error.Code);
        Assert.Equal(400, error.HttpStatus);
        Assert.Contains(parameter.Split('=')[0], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Renders_output_in_the_service_namespace_with_result_wrapper_and_request_id()
    {
        var model = Models.Load("sqs-query");
        var output = new Dictionary<string, object?>
        {
            ["Messages"] = new List<object?>
            {
                new Dictionary<string, object?>
                {
                    ["MessageId"] = "m-1",
                    ["Body"] = "line one\r\nline <two> & more",
                    ["Attributes"] = new Dictionary<string, object?> { ["SentTimestamp"] = "1700000000000" },
                },
            },
        };

        var response = Protocol.Serialize(model, model.FindOperation("ReceiveMessage")!, output, "req-1");
        var text = Encoding.UTF8.GetString(response.Body!);
        var root = XElement.Parse(text);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("text/xml", response.ContentType);
        Assert.Equal("req-1", response.Headers.Get("x-amzn-RequestId"));
        Assert.Equal(Sqs + "ReceiveMessageResponse", root.Name);
        var message = root.Element(Sqs + "ReceiveMessageResult")!.Element(Sqs + "Message")!;
        Assert.Equal("m-1", message.Element(Sqs + "MessageId")!.Value);
        Assert.Equal("SentTimestamp", message.Element(Sqs + "Attribute")!.Element(Sqs + "Name")!.Value);
        // A carriage return must survive the client's XML parser, which turns a literal one into a line feed.
        Assert.Contains("line one&#xD;", text, StringComparison.Ordinal);
        Assert.Equal("line one\r\nline <two> & more", message.Element(Sqs + "Body")!.Value);
        Assert.Equal("req-1", root.Element(Sqs + "ResponseMetadata")!.Element(Sqs + "RequestId")!.Value);
    }

    [Fact]
    public void Renders_a_modeled_error_with_its_wire_code()
    {
        var model = Models.Load("sqs-query");
        var error = new AwsException("QueueDoesNotExist", "The specified queue does not exist.");

        var response = Protocol.SerializeError(model, model.FindOperation("GetQueueUrl"), error, "req-2");
        var root = XmlProtocolCases.Xml(response);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(Sqs + "ErrorResponse", root.Name);
        var e = root.Element(Sqs + "Error")!;
        Assert.Equal("Sender", e.Element(Sqs + "Type")!.Value);
        Assert.Equal("AWS.SimpleQueueService.NonExistentQueue", e.Element(Sqs + "Code")!.Value);
        Assert.Equal("The specified queue does not exist.", e.Element(Sqs + "Message")!.Value);
        Assert.Equal("req-2", root.Element(Sqs + "RequestId")!.Value);
    }

    [Fact]
    public void Renders_a_server_fault_as_the_receivers()
    {
        var model = Models.Load("sqs-query");

        var response = Protocol.SerializeError(model, null, new AwsException("InternalFailure", "Boom.", 500, senderFault: false), "req-3");

        Assert.Equal(500, response.StatusCode);
        Assert.Equal("Receiver", XmlProtocolCases.Xml(response).Descendants(Sqs + "Type").Single().Value);
    }

    [Fact]
    public void A_character_xml_cannot_carry_does_not_fail_the_response()
    {
        var model = Models.Load("sqs-query");
        var output = new Dictionary<string, object?> { ["QueueUrl"] = "http://localhost/q\u0001\U0001F639" };

        var response = Protocol.Serialize(model, model.FindOperation("GetQueueUrl")!, output, "req-4");

        Assert.Contains("\U0001F639", Encoding.UTF8.GetString(response.Body!), StringComparison.Ordinal);
    }
}
