using Nephele.Core.Gateway;

namespace Nephele.Cli;

/// <summary>The startup banner: one line per group of services, saying which ones answer.</summary>
internal static class ServiceGroups
{
    private static readonly (string Group, string[] Services)[] Groups =
    [
        ("Storage", ["s3", "s3control", "efs"]),
        ("Databases", ["dynamodb", "dynamodbstreams", "rds", "rds-data", "elasticache", "memorydb", "dax", "timestream-write", "timestream-query"]),
        ("Messaging", ["sqs", "sns", "events", "scheduler", "kinesis", "firehose", "kinesisvideo", "ses", "sesv2"]),
        ("Identity & security", ["sts", "iam", "kms", "secretsmanager", "acm", "cognito-idp", "cognito-identity"]),
        ("Compute", ["lambda", "ec2", "autoscaling", "ecs", "ecr", "elasticbeanstalk", "elbv2", "stepfunctions"]),
        ("Management", ["ssm", "cloudformation", "cloudwatch", "logs", "cloudtrail", "xray", "appconfig", "appconfigdata", "resourcegroupstaggingapi"]),
        ("Networking & APIs", ["apigateway", "apigatewayv2", "route53", "cloudfront"]),
        ("Analytics", ["athena", "glue", "opensearch"]),
        ("Developer tools", ["codecommit", "codebuild", "codedeploy", "codepipeline", "amplify"]),
    ];

    public static IEnumerable<string> Describe(ServiceIndex index, ProviderRegistry providers)
    {
        var listed = Groups.SelectMany(g => g.Services).ToHashSet();
        var other = index.Services.Select(s => s.Name).Where(n => !listed.Contains(n)).ToArray();
        foreach (var (group, services) in Groups.Append(("Other", other)))
        {
            var known = services.Where(s => index.Find(s) is not null).ToArray();
            if (known.Length == 0) continue;
            var serving = known.Where(s => providers.StateOf(s) != ServiceState.NotImplemented).ToArray();
            var rest = known.Length - serving.Length;
            yield return $"  {group,-20} {(serving.Length == 0 ? "-" : string.Join(", ", serving))}"
                + (rest > 0 ? $"  (+{rest} modeled, answering 501)" : "");
        }
    }
}
