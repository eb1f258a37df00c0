using System.Xml.Linq;
using Nephele.Core.Protocols;
using Nephele.Core.Protocols.Query;

namespace Nephele.Core.Tests.Protocols;

public sealed class Ec2ProtocolTests
{
    private static readonly Ec2Protocol Protocol = new();

    /// <summary>Cases a server cannot meet, beyond the shared ignore list; each with its reason.</summary>
    private static readonly Dictionary<string, string> Skipped = new()
    {
        ["Ec2EmptyQueryLists"] = "an ec2 client sends nothing for an empty list, so a server cannot tell it from an absent one",
    };

    public static TheoryData<string> InputCases => ProtocolTestData.Cases("input", "ec2.json");
    public static TheoryData<string> OutputCases => ProtocolTestData.Cases("output", "ec2.json");

    [SkippableTheory]
    [MemberData(nameof(InputCases))]
    public async Task Reads_the_params_an_ec2_client_sent(string caseId)
    {
        ProtocolTestData.SkipIfListed(Skipped, caseId);
        await XmlProtocolCases.AssertInputAsync(Protocol, caseId);
    }

    [SkippableTheory]
    [MemberData(nameof(OutputCases))]
    public void Renders_the_response_an_ec2_client_expects(string caseId)
    {
        ProtocolTestData.SkipIfListed(Skipped, caseId);
        XmlProtocolCases.AssertOutput(Protocol, caseId, suiteNamespace: true);
    }

    private static readonly XNamespace Ec2 = "http://ec2.amazonaws.com/doc/2016-11-15/";

    [Fact]
    public async Task Reads_flattened_lists_of_structures_by_their_ec2_names()
    {
        var model = Models.Load("ec2");
        var request = XmlProtocolCases.FormPost("Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1&InstanceId.2=i-2"
            + "&Filter.1.Name=instance-state-name&Filter.1.Value.1=running&Filter.1.Value.2=pending&MaxResults=5&DryRun=false");

        var operation = Protocol.ResolveOperation(model, request);
        var input = await Protocol.ParseAsync(model, operation!, request);

        Assert.Equal("DescribeInstances", operation!.Name);
        Assert.Equal(["i-1", "i-2"], input.GetStrings("InstanceIds"));
        var filter = (Dictionary<string, object?>)input.GetList("Filters")!.Single()!;
        Assert.Equal("instance-state-name", filter.GetString("Name"));
        Assert.Equal(["running", "pending"], filter.GetStrings("Values"));
        Assert.Equal(5L, input.GetLong("MaxResults"));
        Assert.False(input.GetBool("DryRun"));
    }

    [Fact]
    public async Task A_value_that_is_not_of_its_type_is_an_invalid_parameter_value()
    {
        var model = Models.Load("ec2");
        var request = XmlProtocolCases.FormPost("Action=DescribeInstances&MaxResults=many");

        var error = await Assert.ThrowsAsync<AwsException>(async () => await Protocol.ParseAsync(model, Protocol.ResolveOperation(model, request)!, request));

        Assert.Equal("InvalidParameterValue", error.Code);
        Assert.Equal(400, error.HttpStatus);
    }

    [Fact]
    public void Renders_output_members_next_to_the_request_id_in_the_versioned_namespace()
    {
        var model = Models.Load("ec2");
        var output = new Dictionary<string, object?>
        {
            ["Reservations"] = new List<object?>
            {
                new Dictionary<string, object?>
                {
                    ["ReservationId"] = "r-1",
                    ["Instances"] = new List<object?> { new Dictionary<string, object?> { ["InstanceId"] = "i-1" } },
                },
            },
        };

        var response = Protocol.Serialize(model, model.FindOperation("DescribeInstances")!, output, "req-1");
        var root = XmlProtocolCases.Xml(response);

        Assert.Equal(Ec2 + "DescribeInstancesResponse", root.Name);
        Assert.Equal("req-1", root.Element(Ec2 + "requestId")!.Value);
        var reservation = root.Element(Ec2 + "reservationSet")!.Element(Ec2 + "item")!;
        Assert.Equal("r-1", reservation.Element(Ec2 + "reservationId")!.Value);
        Assert.Equal("i-1", reservation.Element(Ec2 + "instancesSet")!.Element(Ec2 + "item")!.Element(Ec2 + "instanceId")!.Value);
    }

    [Fact]
    public void Renders_errors_in_an_errors_list_with_the_request_id()
    {
        var model = Models.Load("ec2");
        var error = new AwsException("InvalidInstanceID.NotFound", "The instance ID 'i-1' does not exist");

        var response = Protocol.SerializeError(model, model.FindOperation("DescribeInstances"), error, "req-2");
        var root = XmlProtocolCases.Xml(response);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("Response", root.Name.LocalName);
        var e = root.Element("Errors")!.Element("Error")!;
        Assert.Equal("InvalidInstanceID.NotFound", e.Element("Code")!.Value);
        Assert.Equal("The instance ID 'i-1' does not exist", e.Element("Message")!.Value);
        Assert.Equal("req-2", root.Element("RequestID")!.Value);
    }
}
