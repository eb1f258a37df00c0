using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Core.Tests.Gateway;

public sealed class ServiceDetectorTests
{
    private static readonly ServiceDetector Detector = new(new ModelCatalog(ServiceIndex.Load()));

    private static string? Detect(string method, string path, string? signingName = null, string? target = null, string? host = null,
        string? form = null)
    {
        var headers = new HeaderMap();
        if (target is not null) headers.Add("X-Amz-Target", target);
        if (form is not null) headers.Add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        var request = AwsRequest.FromBytes(method, path, System.Text.Encoding.UTF8.GetBytes(form ?? ""), headers, host ?? "localhost:4566");
        return Detector.Detect(request, signingName)?.Name;
    }

    [Theory]
    [InlineData("sqs", "sqs")]
    [InlineData("monitoring", "cloudwatch")]
    [InlineData("states", "stepfunctions")]
    [InlineData("elasticloadbalancing", "elbv2")]
    public void The_signing_name_picks_the_service(string signingName, string service) =>
        Assert.Equal(service, Detect("POST", "/", signingName));

    [Fact]
    public void Services_sharing_a_signing_name_are_told_apart_by_target() =>
        Assert.Equal("dynamodbstreams", Detect("POST", "/", "dynamodb", "DynamoDBStreams_20120810.GetRecords"));

    [Fact]
    public void Services_sharing_a_signing_name_are_told_apart_by_path()
    {
        Assert.Equal("apigatewayv2", Detect("GET", "/v2/apis", "apigateway"));
        Assert.Equal("apigateway", Detect("GET", "/restapis", "apigateway"));
        Assert.Equal("s3control", Detect("GET", "/v20180820/jobs", "s3"));
        Assert.Equal("s3", Detect("GET", "/my-bucket/key", "s3"));
    }

    [Fact]
    public void Timestream_write_and_query_are_told_apart_by_the_operation()
    {
        Assert.Equal("timestream-write", Detect("POST", "/", "timestream", "Timestream_20181101.WriteRecords"));
        Assert.Equal("timestream-query", Detect("POST", "/", "timestream", "Timestream_20181101.Query"));
    }

    [Fact]
    public void An_unsigned_request_is_routed_by_its_target() =>
        Assert.Equal("dynamodb", Detect("POST", "/", target: "DynamoDB_20120810.ListTables"));

    [Fact]
    public void An_unsigned_form_is_routed_by_its_action() =>
        Assert.Equal("sts", Detect("POST", "/", form: "Action=AssumeRoleWithWebIdentity&Version=2011-06-15"));

    [Fact]
    public void An_unsigned_request_is_routed_by_its_path() =>
        Assert.Equal("lambda", Detect("GET", "/2015-03-31/functions/"));

    [Fact]
    public void A_virtual_hosted_bucket_is_s3() =>
        Assert.Equal("s3", Detect("GET", "/key", host: "my-bucket.s3.localhost.localstack.cloud:4566"));

    [Fact]
    public void Anonymous_requests_without_other_clues_are_s3() =>
        Assert.Equal("s3", Detect("GET", "/public-bucket/object.txt"));
}
