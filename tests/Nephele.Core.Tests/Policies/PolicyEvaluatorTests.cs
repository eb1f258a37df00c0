using Nephele.Core.Policies;
using static Nephele.Core.Tests.Policies.PolicyTestSupport;

namespace Nephele.Core.Tests.Policies;

public sealed class PolicyEvaluatorTests
{
    [Fact]
    public void Nothing_is_allowed_without_a_policy() =>
        Assert.Equal(PolicyDecision.ImplicitDeny, Identity(Request("s3:GetObject", "arn:aws:s3:::b/k")));

    [Fact]
    public void An_allow_with_matching_action_wildcard_and_resource_allows() =>
        Assert.Equal(PolicyDecision.Allow, Identity(Request("s3:GetObject", "arn:aws:s3:::reports/2024/jan.csv"),
            Statement("Allow", "s3:Get*", "arn:aws:s3:::reports/*")));

    [Fact]
    public void Actions_match_case_insensitively_but_resources_do_not()
    {
        Assert.Equal(PolicyDecision.Allow, Identity(Request("sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:jobs"),
            Statement("Allow", "SQS:sendmessage", "arn:aws:sqs:us-east-1:111122223333:jobs")));
        Assert.Equal(PolicyDecision.ImplicitDeny, Identity(Request("sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:jobs"),
            Statement("Allow", "sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:JOBS")));
    }

    [Fact]
    public void An_explicit_deny_beats_any_allow() =>
        Assert.Equal(PolicyDecision.ExplicitDeny, Identity(Request("s3:DeleteObject", "arn:aws:s3:::b/k"),
            Statement("Allow", "s3:*", "*"), Statement("Deny", "s3:Delete*", "arn:aws:s3:::b/*")));

    [Fact]
    public void NotAction_allows_everything_but_the_named_actions()
    {
        const string policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}""";
        Assert.Equal(PolicyDecision.Allow, Identity(Request("s3:ListBucket", "arn:aws:s3:::b"), policy));
        Assert.Equal(PolicyDecision.ImplicitDeny, Identity(Request("iam:CreateUser", "arn:aws:iam::111122223333:user/x"), policy));
    }

    [Fact]
    public void NotResource_denies_everywhere_but_the_named_resources()
    {
        const string policy = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},
             {"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::mine","arn:aws:s3:::mine/*"]}]}
            """;
        Assert.Equal(PolicyDecision.Allow, Identity(Request("s3:PutObject", "arn:aws:s3:::mine/a"), policy));
        Assert.Equal(PolicyDecision.ExplicitDeny, Identity(Request("s3:PutObject", "arn:aws:s3:::theirs/a"), policy));
    }

    [Fact]
    public void A_policy_variable_in_the_resource_scopes_each_user_to_their_own_prefix()
    {
        var policy = Statement("Allow", "s3:*", "arn:aws:s3:::home/${aws:username}/*");
        var alice = new Dictionary<string, string[]> { ["aws:username"] = ["alice"] };
        Assert.Equal(PolicyDecision.Allow, Identity(Request("s3:GetObject", "arn:aws:s3:::home/alice/notes", alice), policy));
        Assert.Equal(PolicyDecision.ImplicitDeny, Identity(Request("s3:GetObject", "arn:aws:s3:::home/bob/notes", alice), policy));
        // Without the key (an assumed role has no username) the statement does not match at all.
        Assert.Equal(PolicyDecision.ImplicitDeny, Identity(Request("s3:GetObject", "arn:aws:s3:::home/alice/notes"), policy));
    }

    [Fact]
    public void A_literal_star_is_written_as_a_variable() =>
        Assert.Equal(PolicyDecision.ImplicitDeny, Identity(Request("s3:GetObject", "arn:aws:s3:::b/anything"),
            Statement("Allow", "s3:GetObject", "arn:aws:s3:::b/${*}")));

    [Fact]
    public void A_permissions_boundary_caps_what_identity_policies_grant()
    {
        var request = Request("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:111122223333:table/t");
        var policies = new ApplicablePolicies
        {
            Identity = [Policy(Statement("Allow", "*", "*"))],
            PermissionsBoundary = Policy(Statement("Allow", "s3:*", "*")),
        };
        Assert.Equal(PolicyDecision.ImplicitDeny, PolicyEvaluator.Evaluate(request, policies));
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(Request("s3:GetObject", "arn:aws:s3:::b/k"), policies));
    }

    [Fact]
    public void Session_policies_cap_an_assumed_role_session()
    {
        var policies = new ApplicablePolicies
        {
            Identity = [Policy(Statement("Allow", "s3:*", "*"))],
            Session = [Policy(Statement("Allow", "s3:GetObject", "*"))],
        };
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(Request("s3:GetObject", "arn:aws:s3:::b/k"), policies));
        Assert.Equal(PolicyDecision.ImplicitDeny, PolicyEvaluator.Evaluate(Request("s3:PutObject", "arn:aws:s3:::b/k"), policies));
    }

    [Fact]
    public void A_resource_policy_naming_the_principal_allows_within_the_account()
    {
        var bucketPolicy = Policy($$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{UserArn}}"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}
            """);
        var request = Request("s3:GetObject", "arn:aws:s3:::b/k", resourceAccount: Account);
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(request, new ApplicablePolicies { Resource = bucketPolicy }));
        var other = Request("s3:GetObject", "arn:aws:s3:::b/k", principal: "arn:aws:iam::111122223333:user/bob", resourceAccount: Account);
        Assert.Equal(PolicyDecision.ImplicitDeny, PolicyEvaluator.Evaluate(other, new ApplicablePolicies { Resource = bucketPolicy }));
    }

    [Fact]
    public void Across_accounts_both_the_identity_and_the_resource_policy_must_allow()
    {
        var queuePolicy = Policy("""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sqs:SendMessage","Resource":"*"}]}
            """);
        var request = Request("sqs:SendMessage", "arn:aws:sqs:us-east-1:444455556666:q", resourceAccount: "444455556666");
        Assert.Equal(PolicyDecision.ImplicitDeny, PolicyEvaluator.Evaluate(request, new ApplicablePolicies { Resource = queuePolicy }));
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(request, new ApplicablePolicies
        {
            Resource = queuePolicy,
            Identity = [Policy(Statement("Allow", "sqs:*", "*"))],
        }));
    }

    [Fact]
    public void Naming_the_own_account_in_a_resource_policy_delegates_to_IAM_policies()
    {
        // The default KMS key policy: the account root may do everything, which lets IAM policies decide.
        var keyPolicy = Policy("""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}
            """);
        var request = Request("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k", resourceAccount: Account);
        Assert.Equal(PolicyDecision.ImplicitDeny, PolicyEvaluator.Evaluate(request, new ApplicablePolicies { Resource = keyPolicy }));
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(request, new ApplicablePolicies
        {
            Resource = keyPolicy,
            Identity = [Policy(Statement("Allow", "kms:Decrypt", "*"))],
        }));
    }

    [Fact]
    public void A_role_arn_principal_names_the_sessions_of_that_role()
    {
        var policy = Policy("""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app/worker"},"Action":"kms:Decrypt","Resource":"*"}]}
            """);
        var session = Request("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k", principal: "arn:aws:sts::111122223333:assumed-role/worker/job-1");
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(session, new ApplicablePolicies { Resource = policy }));
        var otherRole = Request("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k", principal: "arn:aws:sts::111122223333:assumed-role/admin/job-1");
        Assert.Equal(PolicyDecision.ImplicitDeny, PolicyEvaluator.Evaluate(otherRole, new ApplicablePolicies { Resource = policy }));
    }

    [Fact]
    public void NotPrincipal_with_deny_spares_only_the_named_principal()
    {
        var policy = Policy($$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"{{UserArn}}"},"Action":"s3:*","Resource":"*"},
             {"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}
            """);
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(Request("s3:GetObject", "arn:aws:s3:::b/k"), new ApplicablePolicies { Resource = policy }));
        Assert.Equal(PolicyDecision.ExplicitDeny, PolicyEvaluator.Evaluate(
            Request("s3:GetObject", "arn:aws:s3:::b/k", principal: "arn:aws:iam::111122223333:user/mallory"), new ApplicablePolicies { Resource = policy }));
    }

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("a*c", "abbbc", true)]
    [InlineData("a*c", "abbbd", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("arn:aws:s3:::b/*/x", "arn:aws:s3:::b/1/2/x", true)]
    [InlineData("*.txt", "notes.txt.bak", false)]
    public void Wildcards_follow_IAM(string pattern, string value, bool matches) => Assert.Equal(matches, Wildcard.Matches(pattern, value));
}
