using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Nephele.Services.Tests.Ssm;

public sealed class SsmTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private AmazonSimpleSystemsManagementClient Client(string key = "test") =>
        nephele.Client((c, cfg) => new AmazonSimpleSystemsManagementClient(c, (AmazonSimpleSystemsManagementConfig)cfg), new AmazonSimpleSystemsManagementConfig(), key);

    private static string Unique(string prefix = "/t") => $"{prefix}/{Guid.NewGuid():N}";

    [Fact]
    public async Task A_put_parameter_reads_back_with_version_type_and_arn()
    {
        var ssm = Client();
        var name = Unique();
        var put = await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "v1", Type = ParameterType.String });
        Assert.Equal(1, put.Version);
        Assert.Equal(ParameterTier.Standard, put.Tier);

        var got = (await ssm.GetParameterAsync(new GetParameterRequest { Name = name })).Parameter;
        Assert.Equal("v1", got.Value);
        Assert.Equal(ParameterType.String, got.Type);
        Assert.Equal(1, got.Version);
        Assert.Equal("text", got.DataType);
        Assert.Equal($"arn:aws:ssm:us-east-1:000000000000:parameter{name}", got.ARN);
        Assert.True(got.LastModifiedDate > DateTime.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Putting_an_existing_parameter_without_overwrite_is_ParameterAlreadyExists()
    {
        var ssm = Client();
        var name = Unique();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "a", Type = ParameterType.String });
        var error = await Assert.ThrowsAsync<ParameterAlreadyExistsException>(() =>
            ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "b", Type = ParameterType.String }));
        Assert.Equal("The parameter already exists. To overwrite this value, set the overwrite option in the request to true.", error.Message);
        Assert.Equal("a", (await ssm.GetParameterAsync(new GetParameterRequest { Name = name })).Parameter.Value);
    }

    [Fact]
    public async Task Overwrite_creates_a_new_version_and_history_keeps_every_version()
    {
        var ssm = Client();
        var name = Unique();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "a", Type = ParameterType.String, Description = "first" });
        var second = await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "b", Overwrite = true });
        Assert.Equal(2, second.Version);

        var history = (await ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = name })).Parameters;
        Assert.Equal(["a", "b"], history.Select(h => h.Value));
        Assert.Equal([1L, 2L], history.Select(h => h.Version));
        Assert.Equal("first", history[1].Description);
        Assert.Equal("arn:aws:iam::000000000000:root", history[1].LastModifiedUser);
        Assert.Equal("a", (await ssm.GetParameterAsync(new GetParameterRequest { Name = $"{name}:1" })).Parameter.Value);
    }

    [Fact]
    public async Task A_missing_parameter_is_ParameterNotFound()
    {
        var ssm = Client();
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => ssm.GetParameterAsync(new GetParameterRequest { Name = Unique() }));
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = Unique() }));
    }

    [Fact]
    public async Task A_missing_version_is_ParameterVersionNotFound()
    {
        var ssm = Client();
        var name = Unique();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "a", Type = ParameterType.String });
        await Assert.ThrowsAsync<ParameterVersionNotFoundException>(() => ssm.GetParameterAsync(new GetParameterRequest { Name = $"{name}:7" }));
    }

    [Theory]
    [InlineData("awsconfig")]
    [InlineData("/SSM/x")]
    [InlineData("a b")]
    [InlineData("relative/path")]
    public async Task Invalid_names_are_rejected_with_ValidationException(string name)
    {
        var error = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() =>
            Client().PutParameterAsync(new PutParameterRequest { Name = name, Value = "a", Type = ParameterType.String }));
        Assert.Equal("ValidationException", error.ErrorCode);
    }

    [Fact]
    public async Task More_than_fifteen_hierarchy_levels_is_HierarchyLevelLimitExceeded()
    {
        var name = "/" + string.Join("/", Enumerable.Range(0, 16).Select(i => $"l{i}"));
        await Assert.ThrowsAsync<HierarchyLevelLimitExceededException>(() =>
            Client().PutParameterAsync(new PutParameterRequest { Name = name, Value = "a", Type = ParameterType.String }));
    }

    [Fact]
    public async Task A_value_that_breaks_the_allowed_pattern_is_ParameterPatternMismatch()
    {
        var ssm = Client();
        var name = Unique();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "42", Type = ParameterType.String, AllowedPattern = "^\\d+$" });
        await Assert.ThrowsAsync<ParameterPatternMismatchException>(() =>
            ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "forty-two", Overwrite = true }));
        Assert.Equal(1, (await ssm.GetParameterAsync(new GetParameterRequest { Name = name })).Parameter.Version);
    }

    [Fact]
    public async Task A_secure_string_is_only_readable_with_decryption()
    {
        var ssm = Client();
        var name = Unique();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "hunter2", Type = ParameterType.SecureString });
        var hidden = (await ssm.GetParameterAsync(new GetParameterRequest { Name = name })).Parameter;
        Assert.NotEqual("hunter2", hidden.Value);
        var shown = (await ssm.GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = true })).Parameter;
        Assert.Equal("hunter2", shown.Value);
        var meta = await ssm.DescribeParametersAsync(new DescribeParametersRequest
        {
            ParameterFilters = [new ParameterStringFilter { Key = "Name", Values = [name] }],
        });
        Assert.Equal("alias/aws/ssm", meta.Parameters.Single().KeyId);
    }

    [Fact]
    public async Task Get_parameters_reports_missing_names_as_invalid()
    {
        var ssm = Client();
        var name = Unique();
        var missing = Unique();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "a,b", Type = ParameterType.StringList });
        var result = await ssm.GetParametersAsync(new GetParametersRequest { Names = [name, missing] });
        Assert.Equal("a,b", result.Parameters.Single().Value);
        Assert.Equal(ParameterType.StringList, result.Parameters.Single().Type);
        Assert.Equal([missing], result.InvalidParameters);
    }

    [Fact]
    public async Task Labels_select_a_version_and_move_between_versions()
    {
        var ssm = Client();
        var name = Unique();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "a", Type = ParameterType.String });
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "b", Overwrite = true });
        var labelled = await ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, ParameterVersion = 1, Labels = ["prod", "1bad"] });
        Assert.Equal(["1bad"], labelled.InvalidLabels);
        var prod = (await ssm.GetParameterAsync(new GetParameterRequest { Name = $"{name}:prod" })).Parameter;
        Assert.Equal("a", prod.Value);
        Assert.Equal(":prod", prod.Selector);

        await ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, Labels = ["prod"] });
        Assert.Equal("b", (await ssm.GetParameterAsync(new GetParameterRequest { Name = $"{name}:prod" })).Parameter.Value);
        var history = (await ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = name })).Parameters;
        Assert.Empty(history[0].Labels ?? []);
        Assert.Equal(["prod"], history[1].Labels);
    }

    [Fact]
    public async Task Delete_parameters_reports_deleted_and_invalid_names()
    {
        var ssm = Client();
        var name = Unique();
        var missing = Unique();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "a", Type = ParameterType.String });
        var result = await ssm.DeleteParametersAsync(new DeleteParametersRequest { Names = [name, missing] });
        Assert.Equal([name], result.DeletedParameters);
        Assert.Equal([missing], result.InvalidParameters);
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => ssm.GetParameterAsync(new GetParameterRequest { Name = name }));
    }

    [Fact]
    public async Task Tags_are_added_listed_and_removed()
    {
        var ssm = Client();
        var name = Unique();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "a", Type = ParameterType.String, Tags = [new Tag { Key = "team", Value = "core" }] });
        await ssm.AddTagsToResourceAsync(new AddTagsToResourceRequest { ResourceType = ResourceTypeForTagging.Parameter, ResourceId = name, Tags = [new Tag { Key = "env", Value = "dev" }] });
        var tags = (await ssm.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceType = ResourceTypeForTagging.Parameter, ResourceId = name })).TagList;
        Assert.Equal(["env=dev", "team=core"], tags.Select(t => $"{t.Key}={t.Value}"));

        await ssm.RemoveTagsFromResourceAsync(new RemoveTagsFromResourceRequest { ResourceType = ResourceTypeForTagging.Parameter, ResourceId = name, TagKeys = ["team"] });
        tags = (await ssm.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceType = ResourceTypeForTagging.Parameter, ResourceId = name })).TagList;
        Assert.Equal(["env=dev"], tags.Select(t => $"{t.Key}={t.Value}"));
    }

    [Fact]
    public async Task Tagging_a_missing_parameter_is_InvalidResourceId()
    {
        await Assert.ThrowsAsync<InvalidResourceIdException>(() => Client().ListTagsForResourceAsync(
            new ListTagsForResourceRequest { ResourceType = ResourceTypeForTagging.Parameter, ResourceId = Unique() }));
    }

    [Fact]
    public async Task Parameters_are_scoped_to_the_account_that_put_them()
    {
        var name = Unique();
        var other = Client("111111111111");
        await other.PutParameterAsync(new PutParameterRequest { Name = name, Value = "theirs", Type = ParameterType.String });
        Assert.Equal($"arn:aws:ssm:us-east-1:111111111111:parameter{name}",
            (await other.GetParameterAsync(new GetParameterRequest { Name = name })).Parameter.ARN);
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => Client().GetParameterAsync(new GetParameterRequest { Name = name }));
    }

    [Fact]
    public async Task Overwrite_with_tags_is_a_ValidationException()
    {
        var ssm = Client();
        var name = Unique();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "a", Type = ParameterType.String });
        var error = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => ssm.PutParameterAsync(new PutParameterRequest
        {
            Name = name,
            Value = "b",
            Overwrite = true,
            Tags = [new Tag { Key = "k", Value = "v" }],
        }));
        Assert.Equal("ValidationException", error.ErrorCode);
    }

    [Fact]
    public async Task A_parameter_is_found_by_its_arn()
    {
        var ssm = Client();
        var name = Unique();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "by-arn", Type = ParameterType.String });
        var arn = $"arn:aws:ssm:us-east-1:000000000000:parameter{name}";
        Assert.Equal("by-arn", (await ssm.GetParameterAsync(new GetParameterRequest { Name = arn })).Parameter.Value);
        Assert.Equal(name, (await ssm.GetParameterAsync(new GetParameterRequest { Name = arn + ":1" })).Parameter.Name);
    }
}
