using Nephele.Core.Models;

namespace Nephele.Core.Tests.Models;

public sealed class UriTemplateTests
{
    private static Dictionary<string, string>? Match(string template, string path, string query = "")
    {
        var q = Nephele.Core.Protocols.QueryMap.Parse(query);
        return UriTemplate.Parse(template).Match(path.TrimStart('/').Split('/'), q.Get, q.Contains);
    }

    [Fact]
    public void Labels_are_read_from_their_segments()
    {
        var labels = Match("/2015-03-31/functions/{FunctionName}/invocations", "/2015-03-31/functions/my-fn/invocations");
        Assert.Equal("my-fn", labels!["FunctionName"]);
    }

    [Fact]
    public void A_greedy_label_keeps_slashes_and_a_trailing_slash()
    {
        var labels = Match("/{Bucket}/{Key+}", "/bucket/a/b/c/");
        Assert.Equal("bucket", labels!["Bucket"]);
        Assert.Equal("a/b/c/", labels["Key"]);
    }

    [Fact]
    public void Required_query_literals_must_be_present()
    {
        Assert.Null(Match("/{Bucket}?acl", "/bucket"));
        Assert.NotNull(Match("/{Bucket}?acl", "/bucket", "acl"));
        Assert.Null(Match("/{Bucket}?list-type=2", "/bucket", "list-type=1"));
    }

    [Fact]
    public void Literal_segments_and_query_keys_are_more_specific_than_labels()
    {
        Assert.True(UriTemplate.Parse("/{Bucket}?acl").Specificity > UriTemplate.Parse("/{Bucket}").Specificity);
        Assert.True(UriTemplate.Parse("/restapis/{id}/stages").Specificity > UriTemplate.Parse("/restapis/{id}/{x}").Specificity);
    }

    [Fact]
    public void Extra_segments_do_not_match()
    {
        Assert.Null(Match("/{Bucket}", "/bucket/key"));
        Assert.Null(Match("/functions/{Name}", "/functions"));
    }
}
