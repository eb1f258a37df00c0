using System.Formats.Cbor;
using Nephele.Core.Models;
using Nephele.Core.Protocols;
using Nephele.Core.Protocols.Cbor;

namespace Nephele.Core.Tests.Protocols;

/// <summary>The smithy-rpc-v2-cbor protocol against the real CloudWatch model, beyond what the test suites cover.</summary>
public sealed class CborProtocolBehaviourTests
{
    private static readonly ServiceModel CloudWatch = LoadModel("cloudwatch");
    private const string Prefix = "/service/GraniteServiceVersion20100801/operation/";

    private readonly CborProtocol _protocol = new();

    private static ServiceModel LoadModel(string name)
    {
        using var stream = typeof(ServiceModel).Assembly.GetManifestResourceStream($"models/{name}.json")!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return ServiceModel.Load(buffer.ToArray());
    }

    private static AwsRequest Request(string path, byte[]? body = null, string method = "POST")
    {
        var headers = new HeaderMap();
        headers.Add("smithy-protocol", "rpc-v2-cbor");
        if (body is not null) headers.Add("Content-Type", "application/cbor");
        return AwsRequest.FromBytes(method, path, body ?? [], headers);
    }

    [Theory]
    [InlineData("/service/GraniteServiceVersion20100801/operation/PutMetricData", "PutMetricData")]
    [InlineData("/some/prefix/service/GraniteServiceVersion20100801/operation/ListMetrics", "ListMetrics")]
    public void A_request_is_routed_by_the_operation_at_the_end_of_its_path(string path, string operation)
        => Assert.Equal(operation, _protocol.ResolveOperation(CloudWatch, Request(path))?.Name);

    [Theory]
    [InlineData("/service/GraniteServiceVersion20100801/operation/NoSuchOperation", "POST")]
    [InlineData("/service/SomeOtherService/operation/PutMetricData", "POST")]
    [InlineData("/service/GraniteServiceVersion20100801/PutMetricData", "POST")]
    [InlineData("/", "POST")]
    [InlineData("/service/GraniteServiceVersion20100801/operation/PutMetricData", "GET")]
    public void A_request_that_names_no_operation_of_the_service_is_not_routed(string path, string method)
        => Assert.Null(_protocol.ResolveOperation(CloudWatch, Request(path, method: method)));

    [Fact]
    public async Task A_client_request_is_parsed_by_the_model()
    {
        var w = new CborWriter();
        w.WriteStartMap(2);
        w.WriteTextString("Namespace");
        w.WriteTextString("App");
        w.WriteTextString("MetricData");
        w.WriteStartArray(1);
        w.WriteStartMap(4);
        w.WriteTextString("MetricName");
        w.WriteTextString("Latency");
        w.WriteTextString("Value");
        w.WriteDouble(12.5);
        w.WriteTextString("Timestamp");
        w.WriteTag(CborTag.UnixTimeSeconds);
        w.WriteDouble(1_700_000_000.25);
        w.WriteTextString("Dimensions");
        w.WriteStartArray(1);
        w.WriteStartMap(2);
        w.WriteTextString("Name");
        w.WriteTextString("Host");
        w.WriteTextString("Value");
        w.WriteTextString("a");
        w.WriteEndMap();
        w.WriteEndArray();
        w.WriteEndMap();
        w.WriteEndArray();
        w.WriteEndMap();
        var request = Request(Prefix + "PutMetricData", w.Encode());

        var input = await _protocol.ParseAsync(CloudWatch, _protocol.ResolveOperation(CloudWatch, request)!, request);

        Assert.Equal("App", input.GetString("Namespace"));
        var datum = (Dictionary<string, object?>)input.GetList("MetricData")![0]!;
        Assert.Equal(12.5, datum.GetDouble("Value"));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250), datum.GetTimestamp("Timestamp"));
        Assert.Equal("Host", ((Dictionary<string, object?>)datum.GetList("Dimensions")![0]!).GetString("Name"));
    }

    [Fact]
    public async Task A_malformed_body_is_a_serialization_exception()
    {
        var request = Request(Prefix + "PutMetricData", [0xA1, 0x69]);

        var error = await Assert.ThrowsAsync<AwsException>(async () =>
            await _protocol.ParseAsync(CloudWatch, CloudWatch.FindOperation("PutMetricData")!, request));

        Assert.Equal("SerializationException", error.Code);
        Assert.Equal(400, error.HttpStatus);
    }

    [Fact]
    public void An_operation_without_output_answers_with_no_body_and_no_content_type()
    {
        var response = _protocol.Serialize(CloudWatch, CloudWatch.FindOperation("PutMetricData")!, [], "req-1");

        Assert.Equal(200, response.StatusCode);
        Assert.Null(response.Body);
        Assert.Null(response.ContentType);
        Assert.Equal("rpc-v2-cbor", response.Headers.Get("smithy-protocol"));
        Assert.Equal("req-1", response.Headers.Get("x-amzn-RequestId"));
    }

    [Fact]
    public void An_output_is_a_cbor_map_of_its_members()
    {
        var output = new Dictionary<string, object?> { ["Metrics"] = new List<object?> { new Dictionary<string, object?> { ["MetricName"] = "Latency" } } };

        var response = _protocol.Serialize(CloudWatch, CloudWatch.FindOperation("ListMetrics")!, output, "req-1");

        Assert.Equal("application/cbor", response.ContentType);
        var read = CborValueReader.ReadStructure(CloudWatch.GetShape("ListMetricsOutput"), response.Body);
        ValueConverter.AssertEqual(output, read, "output");
    }

    [Fact]
    public void A_modeled_error_carries_its_shape_name_message_and_query_code()
    {
        var error = new AwsException("ResourceNotFound", "Alarm x does not exist.", 404);

        var response = _protocol.SerializeError(CloudWatch, CloudWatch.FindOperation("DeleteAlarms"), error, "req-1");

        Assert.Equal(404, response.StatusCode);
        Assert.Equal("application/cbor", response.ContentType);
        Assert.Equal("ResourceNotFound;Sender", response.Headers.Get("x-amzn-query-error"));
        var body = ReadErrorBody(response);
        Assert.Equal("ResourceNotFound", body["__type"]);
        Assert.Equal("Alarm x does not exist.", body["message"]);
    }

    [Fact]
    public void A_modeled_error_thrown_by_its_query_code_is_named_by_its_shape()
    {
        var error = new AwsException("InternalServiceError", "Oops.", 500, senderFault: false);

        var response = _protocol.SerializeError(CloudWatch, CloudWatch.FindOperation("ListMetrics"), error, "req-1");

        Assert.Equal("InternalServiceError;Receiver", response.Headers.Get("x-amzn-query-error"));
        var body = ReadErrorBody(response);
        Assert.Equal("InternalServiceFault", body["__type"]);
        Assert.Equal("Oops.", body["Message"]);
    }

    [Fact]
    public void An_unmodeled_error_carries_its_code_and_message()
    {
        var error = AwsException.NotImplemented("cloudwatch", "PutDashboard");

        var response = _protocol.SerializeError(CloudWatch, CloudWatch.FindOperation("PutDashboard"), error, "req-1");

        Assert.Equal(501, response.StatusCode);
        Assert.Equal("NotImplemented;Receiver", response.Headers.Get("x-amzn-query-error"));
        var body = ReadErrorBody(response);
        Assert.Equal(["__type", "message"], body.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("NotImplemented", body["__type"]);
    }

    [Fact]
    public void Error_headers_set_by_a_handler_are_sent()
    {
        var error = new AwsException("Throttling", "Rate exceeded.");
        error.Headers["Retry-After"] = "1";

        var response = _protocol.SerializeError(CloudWatch, null, error, "req-1");

        Assert.Equal("1", response.Headers.Get("Retry-After"));
    }

    private static Dictionary<string, object?> ReadErrorBody(AwsResponse response)
    {
        var result = new Dictionary<string, object?>();
        var reader = new CborReader(response.Body);
        var count = reader.ReadStartMap();
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadTextString();
            result[key] = reader.PeekState() == CborReaderState.TextString ? reader.ReadTextString() : SkipAndMark(reader);
        }
        return result;
    }

    private static string SkipAndMark(CborReader reader)
    {
        reader.SkipValue();
        return "(value)";
    }
}
