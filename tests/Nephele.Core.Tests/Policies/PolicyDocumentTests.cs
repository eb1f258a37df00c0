using Nephele.Core.Policies;

namespace Nephele.Core.Tests.Policies;

public sealed class PolicyDocumentTests
{
    [Fact]
    public void Single_values_become_lists_and_conditions_map_operator_to_key_to_values()
    {
        var doc = PolicyDocument.Parse("""
            {"Version":"2012-10-17","Id":"p1","Statement":{"Sid":"S1","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:root","Service":["sqs.amazonaws.com"]},
             "NotAction":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],
             "Condition":{"NumericLessThan":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":false},"ForAnyValue:StringLike":{"aws:TagKeys":["a*","b*"]}}}}
            """);
        Assert.Equal("2012-10-17", doc.Version);
        Assert.Equal("p1", doc.Id);
        var s = Assert.Single(doc.Statements);
        Assert.Equal("S1", s.Sid);
        Assert.Equal(PolicyEffect.Deny, s.Effect);
        Assert.Null(s.Action);
        Assert.Equal(["s3:*"], s.NotAction);
        Assert.Equal(["arn:aws:s3:::b", "arn:aws:s3:::b/*"], s.Resource);
        Assert.Equal(["arn:aws:iam::123456789012:root"], s.Principal!.Values["AWS"]);
        Assert.Equal(["sqs.amazonaws.com"], s.Principal.Values["Service"]);
        Assert.Equal(["10"], s.Condition["NumericLessThan"]["s3:max-keys"]);
        Assert.Equal(["false"], s.Condition["Bool"]["aws:SecureTransport"]);
        Assert.Equal(["a*", "b*"], s.Condition["ForAnyValue:StringLike"]["aws:TagKeys"]);
    }

    [Fact]
    public void A_wildcard_principal_is_anyone()
    {
        var doc = PolicyDocument.Parse("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}]}""");
        Assert.True(doc.Statements[0].Principal!.IsWildcard);
        PolicyValidation.Validate(doc, PolicyKind.Resource);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"Version":"2012-10-17","Statement":[]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Extra":1}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","NotResource":"*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":5,"Resource":"*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringFoo":{"k":"v"}}}]}""")]
    public void Grammar_errors_are_syntax_errors(string json)
    {
        var e = Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Parse(json));
        Assert.Equal("Syntax errors in policy.", e.Message);
    }

    [Fact]
    public void Conditions_with_set_qualifiers_and_IfExists_are_known_operators()
    {
        Assert.Equal("StringEquals", PolicyConditionOperators.Strip("ForAllValues:StringEqualsIfExists", out var set, out var ifExists));
        Assert.Equal("ForAllValues", set);
        Assert.True(ifExists);
        Assert.True(PolicyConditionOperators.IsKnown("ArnLikeIfExists"));
        Assert.False(PolicyConditionOperators.IsKnown("StringMaybe"));
    }

    [Fact]
    public void Trust_policies_need_a_principal_and_no_resource()
    {
        var noPrincipal = PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}""");
        Assert.Equal("Missing required field Principal", Assert.Throws<PolicyDocumentException>(() => PolicyValidation.Validate(noPrincipal, PolicyKind.Trust)).Message);
        var resource = PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}]}""");
        Assert.Equal("Has prohibited field Resource.", Assert.Throws<PolicyDocumentException>(() => PolicyValidation.Validate(resource, PolicyKind.Trust)).Message);
    }

    [Fact]
    public void Size_ignores_white_space()
    {
        Assert.Equal(PolicyValidation.Size("{\"a\":1}"), PolicyValidation.Size("{ \"a\" :\n\t1 }"));
    }
}
