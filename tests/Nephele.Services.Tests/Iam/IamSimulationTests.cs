using System.Xml.Linq;

namespace Nephele.Services.Tests.Iam;

/// <summary>SimulatePrincipalPolicy and SimulateCustomPolicy evaluate with the engine --enforce-iam uses.</summary>
public sealed class IamSimulationTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly IamClient _iam = new(nephele.Http());

    private static List<XElement> Results(XElement result) => [.. result.Members("EvaluationResults")];

    [Fact]
    public async Task A_custom_policy_is_allowed_explicitly_denied_or_implicitly_denied_per_action_and_resource()
    {
        const string policy = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"},
              {"Sid":"NoSecrets","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::data/secret/*"}]}
            """;
        var result = await _iam.Call("SimulateCustomPolicy", ("PolicyInputList.member.1", policy),
            ("ActionNames.member.1", "s3:GetObject"), ("ActionNames.member.2", "s3:PutObject"),
            ("ResourceArns.member.1", "arn:aws:s3:::data/report.csv"), ("ResourceArns.member.2", "arn:aws:s3:::data/secret/key"));
        var decisions = Results(result).Select(r => (r.Text("EvalActionName"), r.Text("EvalResourceName"), r.Text("EvalDecision"))).ToList();
        Assert.Equal(
        [
            ("s3:GetObject", "arn:aws:s3:::data/report.csv", "allowed"),
            ("s3:GetObject", "arn:aws:s3:::data/secret/key", "explicitDeny"),
            ("s3:PutObject", "arn:aws:s3:::data/report.csv", "implicitDeny"),
            ("s3:PutObject", "arn:aws:s3:::data/secret/key", "explicitDeny"),
        ], decisions);
        var matched = Results(result)[0].Members("MatchedStatements").Single();
        Assert.Equal(("PolicyInputList.1", "IAM Policy"), (matched.Text("SourcePolicyId"), matched.Text("SourcePolicyType")));
        Assert.False(result.Text("IsTruncated") == "true");
    }

    [Fact]
    public async Task Conditions_read_the_context_entries_and_missing_ones_are_reported()
    {
        const string policy = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*",
              "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}
            """;
        var without = Results(await _iam.Call("SimulateCustomPolicy", ("PolicyInputList.member.1", policy), ("ActionNames.member.1", "ec2:RunInstances"))).Single();
        Assert.Equal("implicitDeny", without.Text("EvalDecision"));
        Assert.Equal("aws:SourceIp", without.Members("MissingContextValues").Single().Value);

        var with = Results(await _iam.Call("SimulateCustomPolicy", ("PolicyInputList.member.1", policy), ("ActionNames.member.1", "ec2:RunInstances"),
            ("ContextEntries.member.1.ContextKeyName", "aws:SourceIp"), ("ContextEntries.member.1.ContextKeyType", "ip"),
            ("ContextEntries.member.1.ContextKeyValues.member.1", "10.1.2.3"))).Single();
        Assert.Equal("allowed", with.Text("EvalDecision"));
    }

    [Fact]
    public async Task A_principals_policies_its_groups_and_its_permissions_boundary_are_simulated()
    {
        await _iam.Call("CreateUser", ("UserName", "sim-user"));
        await _iam.Call("PutUserPolicy", ("UserName", "sim-user"), ("PolicyName", "own"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:*","sns:Publish"],"Resource":"*"}]}"""));
        var boundary = (await _iam.Call("CreatePolicy", ("PolicyName", "sim-boundary"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}""")))
            .Element(IamClient.Ns + "Policy")!.Text("Arn");
        await _iam.Call("PutUserPermissionsBoundary", ("UserName", "sim-user"), ("PermissionsBoundary", boundary));
        var arn = "arn:aws:iam::000000000000:user/sim-user";

        var results = Results(await _iam.Call("SimulatePrincipalPolicy", ("PolicySourceArn", arn),
            ("ActionNames.member.1", "sqs:SendMessage"), ("ActionNames.member.2", "sns:Publish")));
        Assert.Equal("allowed", results[0].Text("EvalDecision"));
        Assert.Equal(("own", "user"), (results[0].Members("MatchedStatements")[0].Text("SourcePolicyId"), results[0].Members("MatchedStatements")[0].Text("SourcePolicyType")));
        Assert.Equal("implicitDeny", results[1].Text("EvalDecision"));
        Assert.Equal("false", results[1].Text("PermissionsBoundaryDecisionDetail", "AllowedByPermissionsBoundary"));

        var missing = await _iam.Fail("SimulatePrincipalPolicy", ("PolicySourceArn", "arn:aws:iam::000000000000:user/nobody"), ("ActionNames.member.1", "sqs:SendMessage"));
        Assert.Equal("NoSuchEntity", missing.Code);
    }

    [Fact]
    public async Task Results_page_with_MaxItems_and_Marker()
    {
        const string policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";
        var first = await _iam.Call("SimulateCustomPolicy", ("PolicyInputList.member.1", policy), ("MaxItems", "2"),
            ("ActionNames.member.1", "s3:GetObject"), ("ActionNames.member.2", "s3:PutObject"), ("ActionNames.member.3", "s3:DeleteObject"));
        Assert.Equal(2, Results(first).Count);
        Assert.Equal("true", first.Text("IsTruncated"));
        var rest = await _iam.Call("SimulateCustomPolicy", ("PolicyInputList.member.1", policy), ("MaxItems", "2"), ("Marker", first.Text("Marker")),
            ("ActionNames.member.1", "s3:GetObject"), ("ActionNames.member.2", "s3:PutObject"), ("ActionNames.member.3", "s3:DeleteObject"));
        Assert.Equal("s3:DeleteObject", Results(rest).Single().Text("EvalActionName"));
    }

    [Fact]
    public async Task A_resource_policy_can_grant_across_accounts_only_with_the_callers_identity_policy()
    {
        const string resourcePolicy = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"}]}
            """;
        const string identity = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
        var allowed = Results(await _iam.Call("SimulateCustomPolicy", ("PolicyInputList.member.1", identity), ("ResourcePolicy", resourcePolicy),
            ("ActionNames.member.1", "s3:GetObject"), ("ResourceArns.member.1", "arn:aws:s3:::shared/a"),
            ("CallerArn", "arn:aws:iam::111111111111:user/reader"), ("ResourceOwner", "arn:aws:iam::222222222222:root"))).Single();
        Assert.Equal("allowed", allowed.Text("EvalDecision"));
        var stranger = Results(await _iam.Call("SimulateCustomPolicy", ("PolicyInputList.member.1", identity), ("ResourcePolicy", resourcePolicy),
            ("ActionNames.member.1", "s3:GetObject"), ("ResourceArns.member.1", "arn:aws:s3:::shared/a"),
            ("CallerArn", "arn:aws:iam::333333333333:user/reader"), ("ResourceOwner", "arn:aws:iam::222222222222:root"))).Single();
        Assert.Equal("implicitDeny", stranger.Text("EvalDecision"));
    }

    [Fact]
    public async Task Matched_statements_tell_where_they_are_written_and_resources_get_their_own_results()
    {
        var policy = "{\"Version\":\"2012-10-17\",\n \"Statement\":[\n  {\"Effect\":\"Allow\",\"Action\":\"sqs:*\",\"Resource\":\"*\"},\n  {\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";
        var result = await _iam.Call("SimulateCustomPolicy", ("PolicyInputList.member.1", policy), ("ActionNames.member.1", "s3:GetObject"),
            ("ResourceArns.member.1", "arn:aws:s3:::bucket/key"));
        var evaluation = Assert.Single(Results(result));
        var matched = Assert.Single(evaluation.Members("MatchedStatements"));
        Assert.Equal(("4", "3"), (matched.Text("StartPosition", "Line"), matched.Text("StartPosition", "Column")));
        Assert.Equal(("4", "60"), (matched.Text("EndPosition", "Line"), matched.Text("EndPosition", "Column")));
        var specific = Assert.Single(evaluation.Members("ResourceSpecificResults"));
        Assert.Equal(("arn:aws:s3:::bucket/key", "allowed"), (specific.Text("EvalResourceName"), specific.Text("EvalResourceDecision")));
    }
}
