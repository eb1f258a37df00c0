using System.Net;
using System.Text.Json;

namespace Nephele.Services.Tests.SecretsManager;

public sealed class SecretsManagerTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly SecretsManagerClient _sm = new(nephele.Http());

    private static string Unique() => $"app/{Guid.NewGuid():N}";

    private static string[] Stages(JsonElement e) => [.. e.GetProperty("VersionStages").EnumerateArray().Select(s => s.GetString()!)];

    [Fact]
    public async Task A_created_secret_reads_back_as_AWSCURRENT_with_a_suffixed_arn()
    {
        var name = Unique();
        var created = await _sm.Call("CreateSecret", new { Name = name, SecretString = "s3cr3t" });
        var arn = created.GetProperty("ARN").GetString()!;
        Assert.Matches($"^arn:aws:secretsmanager:us-east-1:000000000000:secret:{name}-[A-Za-z0-9]{{6}}$", arn);

        var value = await _sm.Call("GetSecretValue", new { SecretId = name });
        Assert.Equal("s3cr3t", value.GetProperty("SecretString").GetString());
        Assert.Equal(arn, value.GetProperty("ARN").GetString());
        Assert.Equal(created.GetProperty("VersionId").GetString(), value.GetProperty("VersionId").GetString());
        Assert.Equal(["AWSCURRENT"], Stages(value));
    }

    [Fact]
    public async Task A_secret_is_found_by_full_and_partial_arn()
    {
        var name = Unique();
        var arn = (await _sm.Call("CreateSecret", new { Name = name, SecretString = "x" })).GetProperty("ARN").GetString()!;
        Assert.Equal(name, (await _sm.Call("GetSecretValue", new { SecretId = arn })).GetProperty("Name").GetString());
        Assert.Equal(name, (await _sm.Call("GetSecretValue", new { SecretId = arn[..^7] })).GetProperty("Name").GetString());
        var (_, code, _) = await _sm.Fail("GetSecretValue", new { SecretId = arn[..^7] + "-XXXXXX" });
        Assert.Equal("ResourceNotFoundException", code);
    }

    [Fact]
    public async Task A_binary_secret_round_trips()
    {
        var name = Unique();
        await _sm.Call("CreateSecret", new { Name = name, SecretBinary = Convert.ToBase64String([0, 1, 2, 255]) });
        var value = await _sm.Call("GetSecretValue", new { SecretId = name });
        Assert.Equal([0, 1, 2, 255], Convert.FromBase64String(value.GetProperty("SecretBinary").GetString()!));
        Assert.False(value.TryGetProperty("SecretString", out _));
    }

    [Fact]
    public async Task Creating_an_existing_name_is_ResourceExists_but_a_retried_token_is_idempotent()
    {
        var name = Unique();
        var token = Guid.NewGuid().ToString();
        var first = await _sm.Call("CreateSecret", new { Name = name, SecretString = "a", ClientRequestToken = token });
        var retry = await _sm.Call("CreateSecret", new { Name = name, SecretString = "a", ClientRequestToken = token });
        Assert.Equal(first.GetProperty("VersionId").GetString(), retry.GetProperty("VersionId").GetString());
        Assert.Equal(token, retry.GetProperty("VersionId").GetString());

        var (status, code, message) = await _sm.Fail("CreateSecret", new { Name = name, SecretString = "b" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ResourceExistsException", code);
        Assert.Equal($"The operation failed because the secret {name} already exists.", message);
    }

    [Fact]
    public async Task A_missing_secret_is_ResourceNotFound()
    {
        var (_, code, message) = await _sm.Fail("GetSecretValue", new { SecretId = Unique() });
        Assert.Equal("ResourceNotFoundException", code);
        Assert.Equal("Secrets Manager can't find the specified secret.", message);
    }

    [Fact]
    public async Task Put_secret_value_makes_the_new_version_current_and_the_old_one_previous()
    {
        var name = Unique();
        var v1 = (await _sm.Call("CreateSecret", new { Name = name, SecretString = "one" })).GetProperty("VersionId").GetString()!;
        var put = await _sm.Call("PutSecretValue", new { SecretId = name, SecretString = "two" });
        var v2 = put.GetProperty("VersionId").GetString()!;
        Assert.Equal(["AWSCURRENT"], Stages(put));

        Assert.Equal("two", (await _sm.Call("GetSecretValue", new { SecretId = name })).GetProperty("SecretString").GetString());
        Assert.Equal("one", (await _sm.Call("GetSecretValue", new { SecretId = name, VersionStage = "AWSPREVIOUS" })).GetProperty("SecretString").GetString());
        Assert.Equal("one", (await _sm.Call("GetSecretValue", new { SecretId = name, VersionId = v1 })).GetProperty("SecretString").GetString());

        var stages = (await _sm.Call("DescribeSecret", new { SecretId = name })).GetProperty("VersionIdsToStages");
        Assert.Equal("AWSCURRENT", stages.GetProperty(v2)[0].GetString());
        Assert.Equal("AWSPREVIOUS", stages.GetProperty(v1)[0].GetString());
    }

    [Fact]
    public async Task Reusing_a_version_token_with_a_different_value_is_ResourceExists()
    {
        var name = Unique();
        var token = Guid.NewGuid().ToString();
        await _sm.Call("CreateSecret", new { Name = name, SecretString = "a", ClientRequestToken = token });
        var (_, code, message) = await _sm.Fail("PutSecretValue", new { SecretId = name, SecretString = "b", ClientRequestToken = token });
        Assert.Equal("ResourceExistsException", code);
        Assert.Equal("You can't modify an existing version, you can only create a new version.", message);
    }

    [Fact]
    public async Task Update_secret_changes_description_and_adds_a_version_for_a_new_value()
    {
        var name = Unique();
        // The key must exist: the value is encrypted under it.
        var kms = nephele.Client((c, cfg) => new Amazon.KeyManagementService.AmazonKeyManagementServiceClient(c, (Amazon.KeyManagementService.AmazonKeyManagementServiceConfig)cfg),
            new Amazon.KeyManagementService.AmazonKeyManagementServiceConfig());
        var alias = $"alias/custom-{Guid.NewGuid():N}";
        var key = (await kms.CreateKeyAsync(new Amazon.KeyManagementService.Model.CreateKeyRequest())).KeyMetadata;
        await kms.CreateAliasAsync(new Amazon.KeyManagementService.Model.CreateAliasRequest { AliasName = alias, TargetKeyId = key.KeyId });
        await _sm.Call("CreateSecret", new { Name = name, SecretString = "a", Description = "old", KmsKeyId = alias });
        var noValue = await _sm.Call("UpdateSecret", new { SecretId = name, Description = "new" });
        Assert.False(noValue.TryGetProperty("VersionId", out _));
        var withValue = await _sm.Call("UpdateSecret", new { SecretId = name, SecretString = "b" });
        Assert.True(withValue.TryGetProperty("VersionId", out _));

        var described = await _sm.Call("DescribeSecret", new { SecretId = name });
        Assert.Equal("new", described.GetProperty("Description").GetString());
        Assert.Equal(alias, described.GetProperty("KmsKeyId").GetString());
        Assert.True(described.TryGetProperty("CreatedDate", out _));
        Assert.Equal(2, described.GetProperty("VersionIdsToStages").EnumerateObject().Count());
        Assert.Equal("b", (await _sm.Call("GetSecretValue", new { SecretId = name })).GetProperty("SecretString").GetString());
    }

    [Fact]
    public async Task Both_string_and_binary_values_is_InvalidParameter()
    {
        var (_, code, _) = await _sm.Fail("CreateSecret", new { Name = Unique(), SecretString = "a", SecretBinary = "AAEC" });
        Assert.Equal("InvalidParameterException", code);
    }

    [Fact]
    public async Task A_staging_label_moves_between_versions_explicitly()
    {
        var name = Unique();
        var v1 = (await _sm.Call("CreateSecret", new { Name = name, SecretString = "one" })).GetProperty("VersionId").GetString()!;
        var v2 = (await _sm.Call("PutSecretValue", new { SecretId = name, SecretString = "two", VersionStages = new[] { "AWSPENDING" } }))
            .GetProperty("VersionId").GetString()!;
        Assert.Equal("one", (await _sm.Call("GetSecretValue", new { SecretId = name })).GetProperty("SecretString").GetString());

        var (_, code, _) = await _sm.Fail("UpdateSecretVersionStage", new { SecretId = name, VersionStage = "AWSCURRENT", MoveToVersionId = v2 });
        Assert.Equal("InvalidParameterException", code);
        await _sm.Call("UpdateSecretVersionStage", new { SecretId = name, VersionStage = "AWSCURRENT", MoveToVersionId = v2, RemoveFromVersionId = v1 });
        var current = await _sm.Call("GetSecretValue", new { SecretId = name });
        Assert.Equal("two", current.GetProperty("SecretString").GetString());
        Assert.Equal(["AWSPENDING", "AWSCURRENT"], Stages(current));
        Assert.Equal(["AWSPREVIOUS"], Stages(await _sm.Call("GetSecretValue", new { SecretId = name, VersionId = v1 })));
    }

    [Fact]
    public async Task A_deleted_secret_refuses_reads_until_restored()
    {
        var name = Unique();
        await _sm.Call("CreateSecret", new { Name = name, SecretString = "a" });
        var deleted = await _sm.Call("DeleteSecret", new { SecretId = name, RecoveryWindowInDays = 7 });
        Assert.True(deleted.TryGetProperty("DeletionDate", out _));

        var (_, code, message) = await _sm.Fail("GetSecretValue", new { SecretId = name });
        Assert.Equal("InvalidRequestException", code);
        Assert.Equal("You can't perform this operation on the secret because it was marked for deletion.", message);
        Assert.True((await _sm.Call("DescribeSecret", new { SecretId = name })).TryGetProperty("DeletedDate", out _));

        await _sm.Call("RestoreSecret", new { SecretId = name });
        Assert.Equal("a", (await _sm.Call("GetSecretValue", new { SecretId = name })).GetProperty("SecretString").GetString());
    }

    [Theory]
    [InlineData(6)]
    [InlineData(31)]
    public async Task A_recovery_window_outside_7_to_30_days_is_InvalidParameter(int days)
    {
        var name = Unique();
        await _sm.Call("CreateSecret", new { Name = name, SecretString = "a" });
        var (_, code, message) = await _sm.Fail("DeleteSecret", new { SecretId = name, RecoveryWindowInDays = days });
        Assert.Equal("InvalidParameterException", code);
        Assert.Equal("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).", message);
    }

    [Fact]
    public async Task Force_delete_removes_the_secret_at_once()
    {
        var name = Unique();
        await _sm.Call("CreateSecret", new { Name = name, SecretString = "a" });
        await _sm.Call("DeleteSecret", new { SecretId = name, ForceDeleteWithoutRecovery = true });
        Assert.Equal("ResourceNotFoundException", (await _sm.Fail("DescribeSecret", new { SecretId = name })).Code);
        await _sm.Call("CreateSecret", new { Name = name, SecretString = "again" });
    }

    [Fact]
    public async Task Tags_are_added_and_removed_and_filter_listings()
    {
        var name = Unique();
        await _sm.Call("CreateSecret", new { Name = name, SecretString = "a", Tags = new[] { new { Key = "team", Value = "core" } } });
        await _sm.Call("TagResource", new { SecretId = name, Tags = new[] { new { Key = "env", Value = "dev" } } });
        await _sm.Call("UntagResource", new { SecretId = name, TagKeys = new[] { "team" } });
        var tags = (await _sm.Call("DescribeSecret", new { SecretId = name })).GetProperty("Tags").EnumerateArray()
            .Select(t => $"{t.GetProperty("Key").GetString()}={t.GetProperty("Value").GetString()}");
        Assert.Equal(["env=dev"], tags);

        var listed = await _sm.Call("ListSecrets", new { Filters = new[] { new { Key = "name", Values = new[] { name } }, new { Key = "tag-key", Values = new[] { "env" } } } });
        Assert.Equal(name, listed.GetProperty("SecretList").EnumerateArray().Single().GetProperty("Name").GetString());
    }

    [Fact]
    public async Task List_secrets_pages_and_hides_deleted_secrets_unless_asked()
    {
        var prefix = $"list{Guid.NewGuid():N}";
        foreach (var i in Enumerable.Range(0, 3)) await _sm.Call("CreateSecret", new { Name = $"{prefix}/{i}", SecretString = "x" });
        await _sm.Call("DeleteSecret", new { SecretId = $"{prefix}/2" });
        var filter = new[] { new { Key = "name", Values = new[] { prefix } } };

        var first = await _sm.Call("ListSecrets", new { Filters = filter, MaxResults = 1 });
        Assert.Equal($"{prefix}/0", first.GetProperty("SecretList")[0].GetProperty("Name").GetString());
        var rest = await _sm.Call("ListSecrets", new { Filters = filter, NextToken = first.GetProperty("NextToken").GetString() });
        Assert.Equal([$"{prefix}/1"], rest.GetProperty("SecretList").EnumerateArray().Select(s => s.GetProperty("Name").GetString()));

        var all = await _sm.Call("ListSecrets", new { Filters = filter, IncludePlannedDeletion = true });
        Assert.Equal(3, all.GetProperty("SecretList").GetArrayLength());
    }

    [Fact]
    public async Task Random_passwords_honour_length_and_exclusions()
    {
        var password = (await _sm.Call("GetRandomPassword", new { PasswordLength = 40, ExcludePunctuation = true, ExcludeCharacters = "abc" }))
            .GetProperty("RandomPassword").GetString()!;
        Assert.Equal(40, password.Length);
        Assert.All(password, c => Assert.True(char.IsAsciiLetterOrDigit(c) && c is not ('a' or 'b' or 'c')));
        Assert.Contains(password, char.IsAsciiDigit);
        Assert.Contains(password, char.IsAsciiLetterUpper);

        var spaced = (await _sm.Call("GetRandomPassword", new { PasswordLength = 4, ExcludeLowercase = true, ExcludeUppercase = true, ExcludeNumbers = true, ExcludePunctuation = true, IncludeSpace = true }))
            .GetProperty("RandomPassword").GetString();
        Assert.Equal("    ", spaced);
        Assert.Equal(32, (await _sm.Call("GetRandomPassword", new { })).GetProperty("RandomPassword").GetString()!.Length);
        Assert.Equal("InvalidParameterException", (await _sm.Fail("GetRandomPassword", new { PasswordLength = 4097 })).Code);
    }
}
