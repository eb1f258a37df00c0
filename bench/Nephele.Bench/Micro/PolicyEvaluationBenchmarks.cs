using System.Globalization;
using BenchmarkDotNet.Attributes;
using Nephele.Core.Policies;

namespace Nephele.Bench.Micro;

/// <summary>
/// What --enforce-iam adds to a request once the principal's policies are loaded (they are parsed once and cached):
/// building the request context and evaluating a principal with 10 attached policies (30 statements with wildcards,
/// ARNs, conditions and policy variables), a permissions boundary and the bucket's policy. The target is
/// under 50 µs per request.
/// </summary>
[MemoryDiagnoser]
public class PolicyEvaluationBenchmarks
{
    private ApplicablePolicies _policies = null!;

    [GlobalSetup]
    public void Setup()
    {
        var identity = Enumerable.Range(0, 10).Select(i => PolicyDocument.Parse($$"""
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Read{{i}}","Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::bucket-{{i}}","arn:aws:s3:::bucket-{{i}}/*"]},
              {"Sid":"Queue{{i}}","Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage"],"Resource":"arn:aws:sqs:*:111122223333:queue-{{i}}-*",
               "Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"} } },
              {"Sid":"Home{{i}}","Effect":"Deny","NotAction":"s3:*","Resource":"arn:aws:dynamodb:*:*:table/${aws:username}-{{i}}"}]}
            """)).ToList();
        _policies = new ApplicablePolicies
        {
            Identity = identity,
            PermissionsBoundary = PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","sqs:*"],"Resource":"*"}]}"""),
            Resource = PolicyDocument.Parse("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bucket-9/*",
                  "Condition":{"Bool":{"aws:SecureTransport":"false"},"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}}]}
                """),
        };
        if (Authorize() != PolicyDecision.Allow) throw new InvalidOperationException("The benchmark request must be allowed by the last policy.");
    }

    /// <summary>The request the gateway builds: global context keys and S3's, then the decision.</summary>
    [Benchmark]
    public PolicyDecision Authorize()
    {
        var now = DateTimeOffset.UtcNow;
        var context = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["aws:CurrentTime"] = [now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)],
            ["aws:EpochTime"] = [now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)],
            ["aws:SecureTransport"] = ["false"],
            ["aws:RequestedRegion"] = ["us-east-1"],
            ["aws:PrincipalArn"] = ["arn:aws:iam::111122223333:user/app"],
            ["aws:PrincipalAccount"] = ["111122223333"],
            ["aws:PrincipalType"] = ["User"],
            ["aws:userid"] = ["AIDAEXAMPLE"],
            ["aws:SourceIp"] = ["127.0.0.1"],
            ["aws:username"] = ["app"],
            ["s3:ExistingObjectTag/classification"] = ["internal"],
        };
        return PolicyEvaluator.Evaluate(new AuthorizationRequest
        {
            PrincipalArn = "arn:aws:iam::111122223333:user/app",
            PrincipalAccount = "111122223333",
            // The last policy's bucket: every statement before it is tried first.
            Action = "s3:GetObject",
            Resource = "arn:aws:s3:::bucket-9/reports/2026/summary.csv",
            ResourceAccount = "111122223333",
            Context = context,
        }, _policies);
    }
}
