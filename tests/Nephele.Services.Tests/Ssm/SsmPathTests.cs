using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Nephele.Services.Tests.Ssm;

public sealed class SsmPathTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly AmazonSimpleSystemsManagementClient _ssm =
        nephele.Client((c, cfg) => new AmazonSimpleSystemsManagementClient(c, (AmazonSimpleSystemsManagementConfig)cfg), new AmazonSimpleSystemsManagementConfig());

    private async Task<string> Tree()
    {
        var root = $"/app{Guid.NewGuid():N}";
        foreach (var name in new[] { "/db/host", "/db/port", "/db/replica/host", "/flag" })
            await _ssm.PutParameterAsync(new PutParameterRequest { Name = root + name, Value = name, Type = name == "/db/port" ? ParameterType.SecureString : ParameterType.String });
        return root;
    }

    [Fact]
    public async Task By_path_returns_one_level_unless_recursive()
    {
        var root = await Tree();
        var oneLevel = await _ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = root + "/db" });
        Assert.Equal([root + "/db/host", root + "/db/port"], oneLevel.Parameters.Select(p => p.Name));

        var all = await _ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = root, Recursive = true, WithDecryption = true });
        Assert.Equal([root + "/db/host", root + "/db/port", root + "/db/replica/host", root + "/flag"], all.Parameters.Select(p => p.Name));
        Assert.Equal("/db/port", all.Parameters[1].Value);
    }

    [Fact]
    public async Task By_path_pages_in_name_order()
    {
        var root = await Tree();
        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = root, Recursive = true, MaxResults = 3, NextToken = token });
            names.AddRange(page.Parameters.Select(p => p.Name));
            token = page.NextToken;
            pages++;
        } while (token is not null);
        Assert.Equal(2, pages);
        Assert.Equal([root + "/db/host", root + "/db/port", root + "/db/replica/host", root + "/flag"], names);
    }

    [Fact]
    public async Task By_path_filters_by_type()
    {
        var root = await Tree();
        var secure = await _ssm.GetParametersByPathAsync(new GetParametersByPathRequest
        {
            Path = root,
            Recursive = true,
            ParameterFilters = [new ParameterStringFilter { Key = "Type", Option = "Equals", Values = ["SecureString"] }],
        });
        Assert.Equal([root + "/db/port"], secure.Parameters.Select(p => p.Name));
    }

    [Fact]
    public async Task Describe_filters_by_path_and_name_prefix_and_pages()
    {
        var root = await Tree();
        var recursive = await _ssm.DescribeParametersAsync(new DescribeParametersRequest
        {
            ParameterFilters = [new ParameterStringFilter { Key = "Path", Option = "Recursive", Values = [root + "/db"] }],
        });
        Assert.Equal(3, recursive.Parameters.Count);

        var begins = await _ssm.DescribeParametersAsync(new DescribeParametersRequest
        {
            ParameterFilters = [new ParameterStringFilter { Key = "Name", Option = "BeginsWith", Values = [root + "/f"] }],
        });
        Assert.Equal([root + "/flag"], begins.Parameters.Select(p => p.Name));

        var first = await _ssm.DescribeParametersAsync(new DescribeParametersRequest
        {
            MaxResults = 2,
            ParameterFilters = [new ParameterStringFilter { Key = "Path", Option = "Recursive", Values = [root] }],
        });
        Assert.Equal(2, first.Parameters.Count);
        var rest = await _ssm.DescribeParametersAsync(new DescribeParametersRequest
        {
            NextToken = first.NextToken,
            ParameterFilters = [new ParameterStringFilter { Key = "Path", Option = "Recursive", Values = [root] }],
        });
        Assert.Equal([root + "/db/replica/host", root + "/flag"], rest.Parameters.Select(p => p.Name));
    }

    [Fact]
    public async Task A_relative_path_is_a_ValidationException()
    {
        var error = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() =>
            _ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "relative" }));
        Assert.Equal("ValidationException", error.ErrorCode);
    }
}
