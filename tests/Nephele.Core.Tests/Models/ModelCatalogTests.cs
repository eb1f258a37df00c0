using Nephele.Core.Gateway;

namespace Nephele.Core.Tests.Models;

public sealed class ModelCatalogTests
{
    private static readonly ServiceIndex Index = ServiceIndex.Load();

    public static TheoryData<string> ServiceNames()
    {
        var data = new TheoryData<string>();
        foreach (var s in Index.Services) data.Add(s.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void Every_embedded_model_loads_for_every_protocol_it_speaks(string name)
    {
        var service = Index.Find(name)!;
        var catalog = new ModelCatalog(Index);
        foreach (var protocol in service.Protocols)
        {
            var model = catalog.Get(service, protocol);
            Assert.NotEmpty(model.Operations);
            Assert.Equal(service.SigningName, model.Metadata.SigningName);
        }
    }

    [Fact]
    public void The_roadmap_services_are_all_in_the_index()
    {
        string[] roadmap = ["s3", "dynamodb", "dynamodbstreams", "sqs", "sns", "sts", "iam", "kms", "secretsmanager", "ssm", "lambda",
            "logs", "cloudwatch", "events", "kinesis", "firehose", "cloudformation", "apigateway", "apigatewayv2", "route53", "cloudfront",
            "ec2", "autoscaling", "elasticbeanstalk", "elbv2", "rds", "rds-data", "elasticache", "memorydb", "dax", "opensearch", "athena",
            "glue", "cloudtrail", "appconfig", "appconfigdata", "codecommit", "codebuild", "codedeploy", "codepipeline", "xray", "efs",
            "amplify", "timestream-write", "timestream-query", "kinesisvideo", "acm"];
        Assert.DoesNotContain(roadmap, s => Index.Find(s) is null);
    }

    [Fact]
    public void Sqs_query_clients_get_the_legacy_query_model()
    {
        var sqs = Index.Find("sqs")!;
        var catalog = new ModelCatalog(Index);
        Assert.Equal("query", catalog.Get(sqs, "query").Metadata.Protocol);
        Assert.Equal("json", catalog.Get(sqs, "json").Metadata.Protocol);
        Assert.True(catalog.Get(sqs, "json").Metadata.AwsQueryCompatible);
    }

    [Fact]
    public void Sqs_json_errors_carry_the_legacy_query_codes()
    {
        var sqs = Index.Find("sqs")!;
        var json = new ModelCatalog(Index).Get(sqs, "json");
        Assert.Equal("AWS.SimpleQueueService.NonExistentQueue", json.GetShape("QueueDoesNotExist").ErrorCode);
    }

    [Fact]
    public void Member_traits_are_resolved_from_references_and_shapes()
    {
        var s3 = new ModelCatalog(Index).Get(Index.Find("s3")!);
        var put = s3.FindOperation("PutObject")!;
        Assert.Equal("PUT", put.HttpMethod);
        var metadata = put.Input!.FindMember("Metadata")!;
        Assert.Equal(Nephele.Core.Models.MemberLocation.Headers, metadata.Location);
        Assert.Equal("x-amz-meta-", metadata.LocationName);
        Assert.True(put.Input.FindMember("Body")!.Streaming);
        Assert.Equal("Body", put.Input.Payload);
    }
}
