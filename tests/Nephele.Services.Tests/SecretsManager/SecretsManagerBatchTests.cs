namespace Nephele.Services.Tests.SecretsManager;

public sealed class SecretsManagerBatchTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly SecretsManagerClient _sm = new(nephele.Http());

    private static string Unique() => $"batch/{Guid.NewGuid():N}";

    [Fact]
    public async Task List_secret_version_ids_hides_unlabelled_versions_unless_deprecated_are_included()
    {
        var name = Unique();
        await _sm.Call("CreateSecret", new { Name = name, SecretString = "1" });
        await _sm.Call("PutSecretValue", new { SecretId = name, SecretString = "2" });
        await _sm.Call("PutSecretValue", new { SecretId = name, SecretString = "3" });

        var labelled = await _sm.Call("ListSecretVersionIds", new { SecretId = name });
        Assert.Equal(2, labelled.GetProperty("Versions").GetArrayLength());
        Assert.Equal(name, labelled.GetProperty("Name").GetString());
        var all = await _sm.Call("ListSecretVersionIds", new { SecretId = name, IncludeDeprecated = true });
        Assert.Equal(3, all.GetProperty("Versions").GetArrayLength());
    }

    [Fact]
    public async Task Batch_get_returns_current_values_and_reports_missing_secrets_as_errors()
    {
        var a = Unique();
        var b = Unique();
        var missing = Unique();
        await _sm.Call("CreateSecret", new { Name = a, SecretString = "va" });
        await _sm.Call("CreateSecret", new { Name = b, SecretString = "vb" });

        var batch = await _sm.Call("BatchGetSecretValue", new { SecretIdList = new[] { a, b, missing } });
        Assert.Equal(["va", "vb"], batch.GetProperty("SecretValues").EnumerateArray().Select(v => v.GetProperty("SecretString").GetString()));
        var error = batch.GetProperty("Errors").EnumerateArray().Single();
        Assert.Equal(missing, error.GetProperty("SecretId").GetString());
        Assert.Equal("ResourceNotFoundException", error.GetProperty("ErrorCode").GetString());
    }

    [Fact]
    public async Task Batch_get_by_filter_selects_like_list_secrets()
    {
        var prefix = $"bf{Guid.NewGuid():N}";
        await _sm.Call("CreateSecret", new { Name = $"{prefix}/x", SecretString = "vx" });
        var batch = await _sm.Call("BatchGetSecretValue", new { Filters = new[] { new { Key = "name", Values = new[] { prefix } } } });
        Assert.Equal(["vx"], batch.GetProperty("SecretValues").EnumerateArray().Select(v => v.GetProperty("SecretString").GetString()));
        Assert.Equal("InvalidParameterException", (await _sm.Fail("BatchGetSecretValue", new { })).Code);
    }

    [Fact]
    public async Task A_resource_policy_is_stored_returned_and_deleted()
    {
        var name = Unique();
        await _sm.Call("CreateSecret", new { Name = name, SecretString = "x" });
        const string policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""";
        await _sm.Call("PutResourcePolicy", new { SecretId = name, ResourcePolicy = policy });
        Assert.Equal(policy, (await _sm.Call("GetResourcePolicy", new { SecretId = name })).GetProperty("ResourcePolicy").GetString());
        await _sm.Call("DeleteResourcePolicy", new { SecretId = name });
        Assert.False((await _sm.Call("GetResourcePolicy", new { SecretId = name })).TryGetProperty("ResourcePolicy", out _));
        Assert.Equal("MalformedPolicyDocumentException", (await _sm.Fail("PutResourcePolicy", new { SecretId = name, ResourcePolicy = "{not json" })).Code);
    }
}
