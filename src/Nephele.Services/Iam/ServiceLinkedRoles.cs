namespace Nephele.Services.Iam;

/// <summary>The names AWS gives service-linked roles: AWSServiceRoleFor + the service's own suffix.</summary>
internal static class ServiceLinkedRoles
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["autoscaling.amazonaws.com"] = "AutoScaling",
        ["elasticloadbalancing.amazonaws.com"] = "ElasticLoadBalancing",
        ["ecs.amazonaws.com"] = "ECS",
        ["rds.amazonaws.com"] = "RDS",
        ["elasticache.amazonaws.com"] = "ElastiCache",
        ["es.amazonaws.com"] = "AmazonElasticsearchService",
        ["opensearchservice.amazonaws.com"] = "AmazonOpenSearchService",
        ["spot.amazonaws.com"] = "EC2Spot",
        ["spotfleet.amazonaws.com"] = "EC2SpotFleet",
        ["replicator.lambda.amazonaws.com"] = "LambdaReplicator",
        ["organizations.amazonaws.com"] = "Organizations",
        ["config.amazonaws.com"] = "Config",
        ["cloudtrail.amazonaws.com"] = "CloudTrail",
        ["eks.amazonaws.com"] = "AmazonEKS",
        ["eks-nodegroup.amazonaws.com"] = "AmazonEKSNodegroup",
        ["eks-fargate.amazonaws.com"] = "AmazonEKSForFargate",
        ["support.amazonaws.com"] = "Support",
        ["trustedadvisor.amazonaws.com"] = "TrustedAdvisor",
        ["elasticbeanstalk.amazonaws.com"] = "ElasticBeanstalk",
        ["guardduty.amazonaws.com"] = "AmazonGuardDuty",
        ["ssm.amazonaws.com"] = "AmazonSSM",
        ["kafka.amazonaws.com"] = "Kafka",
        ["redshift.amazonaws.com"] = "Redshift",
        ["batch.amazonaws.com"] = "Batch",
        ["transitgateway.amazonaws.com"] = "VPCTransitGateway",
        ["apigateway.amazonaws.com"] = "APIGateway",
        ["dynamodb.application-autoscaling.amazonaws.com"] = "ApplicationAutoScaling_DynamoDBTable",
        ["ecs.application-autoscaling.amazonaws.com"] = "ApplicationAutoScaling_ECSService",
        ["lambda.application-autoscaling.amazonaws.com"] = "ApplicationAutoScaling_LambdaConcurrency",
        ["rds.application-autoscaling.amazonaws.com"] = "ApplicationAutoScaling_RDSCluster",
        ["ec2.application-autoscaling.amazonaws.com"] = "ApplicationAutoScaling_EC2SpotFleetRequest",
    };

    /// <summary>The role name for <paramref name="service"/> (e.g. "autoscaling.amazonaws.com"), with an optional custom suffix.</summary>
    public static string RoleName(string service, string? suffix)
    {
        var name = "AWSServiceRoleFor" + (Names.GetValueOrDefault(service) ?? Derived(service));
        return suffix is null ? name : $"{name}_{suffix}";
    }

    // Unlisted services: "some-thing.amazonaws.com" -> "SomeThing"; "sub.svc.amazonaws.com" -> "Svc_Sub".
    private static string Derived(string service)
    {
        var parts = service.Split('.');
        static string Pascal(string s) => string.Concat(s.Split('-').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
        return parts.Length >= 4 ? $"{Pascal(parts[^3])}_{Pascal(parts[0])}" : Pascal(parts[0]);
    }

    public static string TrustPolicy(string service) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["{{service}}"]},"Action":["sts:AssumeRole"]}]}""";
}
