using System.Net;

namespace Nephele.Services.Tests.Logs;

public sealed class LogGroupTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly LogsClient _logs = new(nephele.Http());

    private static string Name(string prefix) => $"/test/{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task Created_group_is_described_with_its_arn_and_a_duplicate_is_refused()
    {
        var name = Name("create");
        await _logs.Call("CreateLogGroup", new { logGroupName = name });
        var described = await _logs.Call("DescribeLogGroups", new { logGroupNamePrefix = name });
        var group = Assert.Single(described.GetProperty("logGroups").EnumerateArray());
        Assert.Equal(name, group.GetProperty("logGroupName").GetString());
        Assert.Equal($"arn:aws:logs:us-east-1:000000000000:log-group:{name}:*", group.GetProperty("arn").GetString());
        Assert.Equal("STANDARD", group.GetProperty("logGroupClass").GetString());

        var (status, code, message) = await _logs.Fail("CreateLogGroup", new { logGroupName = name });
        Assert.Equal((HttpStatusCode.BadRequest, "ResourceAlreadyExistsException"), (status, code));
        Assert.Equal("The specified log group already exists", message);
    }

    [Fact]
    public async Task Describe_pages_through_groups_by_prefix()
    {
        var prefix = Name("page");
        foreach (var i in Enumerable.Range(0, 5)) await _logs.Call("CreateLogGroup", new { logGroupName = $"{prefix}/{i}" });
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await _logs.Call("DescribeLogGroups", token is null
                ? new Dictionary<string, object> { ["logGroupNamePrefix"] = prefix, ["limit"] = 2 }
                : new Dictionary<string, object> { ["logGroupNamePrefix"] = prefix, ["limit"] = 2, ["nextToken"] = token });
            seen.AddRange(page.GetProperty("logGroups").EnumerateArray().Select(g => g.GetProperty("logGroupName").GetString()!));
            token = page.TryGetProperty("nextToken", out var t) ? t.GetString() : null;
        } while (token is not null);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"{prefix}/{i}"), seen);
    }

    [Fact]
    public async Task Retention_is_set_validated_and_removed()
    {
        var name = Name("retention");
        await _logs.Call("CreateLogGroup", new { logGroupName = name });
        var (_, code, _) = await _logs.Fail("PutRetentionPolicy", new { logGroupName = name, retentionInDays = 2 });
        Assert.Equal("ValidationException", code);
        await _logs.Call("PutRetentionPolicy", new { logGroupName = name, retentionInDays = 7 });
        var group = (await _logs.Call("DescribeLogGroups", new { logGroupNamePrefix = name })).GetProperty("logGroups")[0];
        Assert.Equal(7, group.GetProperty("retentionInDays").GetInt32());
        await _logs.Call("DeleteRetentionPolicy", new { logGroupName = name });
        group = (await _logs.Call("DescribeLogGroups", new { logGroupNamePrefix = name })).GetProperty("logGroups")[0];
        Assert.False(group.TryGetProperty("retentionInDays", out _));
    }

    [Fact]
    public async Task Deleting_a_group_removes_it_and_a_missing_group_is_ResourceNotFound()
    {
        var name = Name("delete");
        await _logs.Call("CreateLogGroup", new { logGroupName = name });
        await _logs.Call("CreateLogStream", new { logGroupName = name, logStreamName = "s" });
        await _logs.Call("DeleteLogGroup", new { logGroupName = name });
        Assert.Empty((await _logs.Call("DescribeLogGroups", new { logGroupNamePrefix = name })).GetProperty("logGroups").EnumerateArray());
        var (_, code, message) = await _logs.Fail("DeleteLogGroup", new { logGroupName = name });
        Assert.Equal(("ResourceNotFoundException", "The specified log group does not exist."), (code, message));
    }

    [Fact]
    public async Task Tags_work_through_both_the_arn_and_the_legacy_group_name_operations()
    {
        var name = Name("tags");
        await _logs.Call("CreateLogGroup", new { logGroupName = name, tags = new Dictionary<string, string> { ["team"] = "a" } });
        var arn = $"arn:aws:logs:us-east-1:000000000000:log-group:{name}";
        await _logs.Call("TagResource", new { resourceArn = arn, tags = new Dictionary<string, string> { ["env"] = "dev" } });
        await _logs.Call("TagLogGroup", new { logGroupName = name, tags = new Dictionary<string, string> { ["cost"] = "1" } });
        await _logs.Call("UntagLogGroup", new { logGroupName = name, tags = new[] { "team" } });
        var tags = (await _logs.Call("ListTagsForResource", new { resourceArn = arn })).GetProperty("tags");
        Assert.Equal(["cost", "env"], tags.EnumerateObject().Select(p => p.Name).Order());
        await _logs.Call("UntagResource", new { resourceArn = arn, tagKeys = new[] { "cost" } });
        var legacy = (await _logs.Call("ListTagsLogGroup", new { logGroupName = name })).GetProperty("tags");
        Assert.Equal("dev", Assert.Single(legacy.EnumerateObject()).Value.GetString());
    }
}
