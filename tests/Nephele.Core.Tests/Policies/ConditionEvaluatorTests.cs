using Nephele.Core.Policies;
using static Nephele.Core.Tests.Policies.PolicyTestSupport;

namespace Nephele.Core.Tests.Policies;

public sealed class ConditionEvaluatorTests
{
    private static PolicyDecision With(string condition, Dictionary<string, string[]> context) =>
        Identity(Request("s3:GetObject", "arn:aws:s3:::b/k", context), Statement("Allow", "s3:*", "*", condition));

    [Theory]
    [InlineData("""{"StringEquals":{"aws:username":"alice"}}""", "alice", true)]
    [InlineData("""{"StringEquals":{"aws:username":["bob","alice"]}}""", "alice", true)]
    [InlineData("""{"StringEquals":{"aws:username":"Alice"}}""", "alice", false)]
    [InlineData("""{"StringEqualsIgnoreCase":{"aws:username":"ALICE"}}""", "alice", true)]
    [InlineData("""{"StringNotEquals":{"aws:username":"bob"}}""", "alice", true)]
    [InlineData("""{"StringNotEquals":{"aws:username":["bob","alice"]}}""", "alice", false)]
    [InlineData("""{"StringLike":{"aws:username":"al*"}}""", "alice", true)]
    [InlineData("""{"StringNotLike":{"aws:username":"al*"}}""", "alice", false)]
    [InlineData("""{"StringEquals":{"AWS:UserName":"alice"}}""", "alice", true)]
    public void String_operators(string condition, string username, bool allowed) =>
        Assert.Equal(allowed, With(condition, new() { ["aws:username"] = [username] }) == PolicyDecision.Allow);

    [Theory]
    [InlineData("NumericLessThan", "10", "5", true)]
    [InlineData("NumericLessThan", "10", "10", false)]
    [InlineData("NumericLessThanEquals", "10", "10", true)]
    [InlineData("NumericGreaterThan", "10", "10.5", true)]
    [InlineData("NumericGreaterThanEquals", "10", "9", false)]
    [InlineData("NumericEquals", "10", "10.0", true)]
    [InlineData("NumericNotEquals", "10", "11", true)]
    [InlineData("NumericEquals", "10", "ten", false)]
    public void Numeric_operators(string op, string policyValue, string requestValue, bool allowed) =>
        Assert.Equal(allowed, With($$$"""{"{{{op}}}":{"s3:max-keys":"{{{policyValue}}}"}}""", new() { ["s3:max-keys"] = [requestValue] }) == PolicyDecision.Allow);

    [Theory]
    [InlineData("DateLessThan", "2030-01-01T00:00:00Z", true)]
    [InlineData("DateGreaterThan", "2030-01-01T00:00:00Z", false)]
    [InlineData("DateGreaterThan", "1700000000", true)]
    public void Date_operators_compare_with_the_request_time(string op, string policyValue, bool allowed) =>
        Assert.Equal(allowed, With($$$"""{"{{{op}}}":{"aws:CurrentTime":"{{{policyValue}}}"}}""",
            new() { ["aws:CurrentTime"] = ["2026-11-28T12:00:00Z"] }) == PolicyDecision.Allow);

    [Theory]
    [InlineData("192.0.2.0/24", "192.0.2.17", true)]
    [InlineData("192.0.2.0/24", "198.51.100.1", false)]
    [InlineData("203.0.113.5", "203.0.113.5", true)]
    [InlineData("2001:db8::/32", "2001:db8::1", true)]
    public void IpAddress_matches_ranges(string range, string source, bool allowed) =>
        Assert.Equal(allowed, With($$$"""{"IpAddress":{"aws:SourceIp":"{{{range}}}"}}""", new() { ["aws:SourceIp"] = [source] }) == PolicyDecision.Allow);

    [Fact]
    public void NotIpAddress_denies_from_outside_the_range() =>
        Assert.Equal(PolicyDecision.ImplicitDeny,
            With("""{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}""", new() { ["aws:SourceIp"] = ["10.1.2.3"] }));

    [Theory]
    [InlineData("true", "true", true)]
    [InlineData("true", "false", false)]
    public void Bool_compares_flags(string policyValue, string requestValue, bool allowed) =>
        Assert.Equal(allowed, With($$$"""{"Bool":{"aws:SecureTransport":"{{{policyValue}}}"}}""", new() { ["aws:SecureTransport"] = [requestValue] }) == PolicyDecision.Allow);

    [Fact]
    public void ArnLike_matches_segment_by_segment()
    {
        const string condition = """{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:topic-*"}}""";
        Assert.Equal(PolicyDecision.Allow, With(condition, new() { ["aws:SourceArn"] = ["arn:aws:sns:eu-west-1:111122223333:topic-a"] }));
        Assert.Equal(PolicyDecision.ImplicitDeny, With(condition, new() { ["aws:SourceArn"] = ["arn:aws:sns:eu-west-1:999999999999:topic-a"] }));
    }

    [Fact]
    public void A_missing_key_fails_positive_operators_and_satisfies_negated_ones()
    {
        Assert.Equal(PolicyDecision.ImplicitDeny, With("""{"StringEquals":{"aws:PrincipalTag/team":"blue"}}""", []));
        Assert.Equal(PolicyDecision.Allow, With("""{"StringNotEquals":{"aws:PrincipalTag/team":"blue"}}""", []));
        Assert.Equal(PolicyDecision.Allow, With("""{"StringEqualsIfExists":{"aws:PrincipalTag/team":"blue"}}""", []));
        Assert.Equal(PolicyDecision.ImplicitDeny, With("""{"StringEqualsIfExists":{"aws:PrincipalTag/team":"blue"}}""",
            new() { ["aws:PrincipalTag/team"] = ["red"] }));
    }

    [Fact]
    public void Null_tests_whether_a_key_is_present()
    {
        Assert.Equal(PolicyDecision.Allow, With("""{"Null":{"aws:TokenIssueTime":"true"}}""", []));
        Assert.Equal(PolicyDecision.ImplicitDeny, With("""{"Null":{"aws:TokenIssueTime":"true"}}""", new() { ["aws:TokenIssueTime"] = ["x"] }));
        Assert.Equal(PolicyDecision.Allow, With("""{"Null":{"aws:TokenIssueTime":"false"}}""", new() { ["aws:TokenIssueTime"] = ["x"] }));
    }

    [Fact]
    public void ForAllValues_requires_every_request_value_to_be_listed()
    {
        const string condition = """{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}""";
        Assert.Equal(PolicyDecision.Allow, With(condition, new() { ["aws:TagKeys"] = ["env"] }));
        Assert.Equal(PolicyDecision.ImplicitDeny, With(condition, new() { ["aws:TagKeys"] = ["env", "owner"] }));
        // Vacuously true without the key, as in AWS.
        Assert.Equal(PolicyDecision.Allow, With(condition, []));
    }

    [Fact]
    public void ForAnyValue_requires_one_request_value_to_be_listed()
    {
        const string condition = """{"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}}""";
        Assert.Equal(PolicyDecision.Allow, With(condition, new() { ["aws:TagKeys"] = ["owner", "env"] }));
        Assert.Equal(PolicyDecision.ImplicitDeny, With(condition, new() { ["aws:TagKeys"] = ["owner"] }));
        Assert.Equal(PolicyDecision.ImplicitDeny, With(condition, []));
    }

    [Fact]
    public void Every_operator_and_every_key_must_hold()
    {
        const string condition = """{"StringEquals":{"aws:username":"alice","aws:RequestedRegion":"eu-west-1"},"Bool":{"aws:SecureTransport":"true"}}""";
        var context = new Dictionary<string, string[]>
        {
            ["aws:username"] = ["alice"],
            ["aws:RequestedRegion"] = ["eu-west-1"],
            ["aws:SecureTransport"] = ["true"],
        };
        Assert.Equal(PolicyDecision.Allow, With(condition, context));
        context["aws:RequestedRegion"] = ["us-east-1"];
        Assert.Equal(PolicyDecision.ImplicitDeny, With(condition, context));
    }

    [Fact]
    public void Condition_values_may_hold_policy_variables() =>
        Assert.Equal(PolicyDecision.Allow, With("""{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}""",
            new() { ["s3:prefix"] = ["home/alice/docs"], ["aws:username"] = ["alice"] }));

    [Fact]
    public void A_variable_default_applies_when_the_key_is_missing() =>
        Assert.Equal(PolicyDecision.Allow, With("""{"StringEquals":{"s3:prefix":"${aws:PrincipalTag/team, 'shared'}"}}""",
            new() { ["s3:prefix"] = ["shared"] }));
}
