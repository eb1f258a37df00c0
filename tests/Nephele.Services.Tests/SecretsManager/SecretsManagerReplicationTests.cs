using System.Text.Json;

namespace Nephele.Services.Tests.SecretsManager;

public sealed class SecretsManagerReplicationTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly SecretsManagerClient _east = new(nephele.Http());
    private readonly SecretsManagerClient _west = new(nephele.Http(), "us-west-2");

    private static string Unique() => $"replicated/{Guid.NewGuid():N}";

    [Fact]
    public async Task A_replica_serves_the_primary_value_under_its_own_region_arn_and_follows_every_change()
    {
        var name = Unique();
        var created = await _east.Call("CreateSecret", new { Name = name, SecretString = "v1", AddReplicaRegions = new[] { new { Region = "us-west-2" } } });
        var arn = created.GetProperty("ARN").GetString()!;
        var status = created.GetProperty("ReplicationStatus")[0];
        Assert.Equal("us-west-2", status.GetProperty("Region").GetString());
        Assert.Equal("InSync", status.GetProperty("Status").GetString());

        var replica = await _west.Call("GetSecretValue", new { SecretId = name });
        Assert.Equal("v1", replica.GetProperty("SecretString").GetString());
        Assert.Equal(arn.Replace(":us-east-1:", ":us-west-2:", StringComparison.Ordinal), replica.GetProperty("ARN").GetString());

        await _east.Call("PutSecretValue", new { SecretId = name, SecretString = "v2" });
        Assert.Equal("v2", (await _west.Call("GetSecretValue", new { SecretId = name })).GetProperty("SecretString").GetString());
        Assert.Equal("v1", (await _west.Call("GetSecretValue", new { SecretId = name, VersionStage = "AWSPREVIOUS" })).GetProperty("SecretString").GetString());

        var described = await _west.Call("DescribeSecret", new { SecretId = name });
        Assert.Equal("us-east-1", described.GetProperty("PrimaryRegion").GetString());
        var primary = await _east.Call("DescribeSecret", new { SecretId = name });
        Assert.Equal("us-west-2", primary.GetProperty("ReplicationStatus")[0].GetProperty("Region").GetString());
    }

    [Fact]
    public async Task A_replica_refuses_changes_and_the_primary_cannot_be_deleted_while_replicated()
    {
        var name = Unique();
        await _east.Call("CreateSecret", new { Name = name, SecretString = "v1" });
        await _east.Call("ReplicateSecretToRegions", new { SecretId = name, AddReplicaRegions = new[] { new { Region = "us-west-2" } } });

        var write = await _west.Fail("PutSecretValue", new { SecretId = name, SecretString = "mine" });
        Assert.Equal("InvalidParameterException", write.Code);
        Assert.Contains("replica", write.Message, StringComparison.Ordinal);
        Assert.Equal("v1", (await _west.Call("GetSecretValue", new { SecretId = name })).GetProperty("SecretString").GetString());

        var delete = await _east.Fail("DeleteSecret", new { SecretId = name, ForceDeleteWithoutRecovery = true });
        Assert.Equal("InvalidRequestException", delete.Code);
        Assert.Contains("us-west-2", delete.Message, StringComparison.Ordinal);

        var removed = await _east.Call("RemoveRegionsFromReplication", new { SecretId = name, RemoveReplicaRegions = new[] { "us-west-2" } });
        Assert.False(removed.TryGetProperty("ReplicationStatus", out var left) && left.GetArrayLength() > 0);
        Assert.Equal("ResourceNotFoundException", (await _west.Fail("GetSecretValue", new { SecretId = name })).Code);
        await _east.Call("DeleteSecret", new { SecretId = name, ForceDeleteWithoutRecovery = true });
    }

    [Fact]
    public async Task A_promoted_replica_becomes_an_independent_secret()
    {
        var name = Unique();
        await _east.Call("CreateSecret", new { Name = name, SecretString = "v1", AddReplicaRegions = new[] { new { Region = "us-west-2" } } });

        Assert.Equal("InvalidRequestException", (await _east.Fail("StopReplicationToReplica", new { SecretId = name })).Code);
        await _west.Call("StopReplicationToReplica", new { SecretId = name });

        await _west.Call("PutSecretValue", new { SecretId = name, SecretString = "west" });
        await _east.Call("PutSecretValue", new { SecretId = name, SecretString = "east" });
        Assert.Equal("west", (await _west.Call("GetSecretValue", new { SecretId = name })).GetProperty("SecretString").GetString());
        var primary = await _east.Call("DescribeSecret", new { SecretId = name });
        Assert.False(primary.TryGetProperty("ReplicationStatus", out _));
        Assert.False((await _west.Call("DescribeSecret", new { SecretId = name })).TryGetProperty("PrimaryRegion", out _));
    }

    [Fact]
    public async Task Replicating_onto_an_existing_name_fails_for_that_region_unless_forced()
    {
        var name = Unique();
        await _west.Call("CreateSecret", new { Name = name, SecretString = "already here" });
        await _east.Call("CreateSecret", new { Name = name, SecretString = "primary" });

        var failed = await _east.Call("ReplicateSecretToRegions", new { SecretId = name, AddReplicaRegions = new[] { new { Region = "us-west-2" } } });
        Assert.Equal("Failed", failed.GetProperty("ReplicationStatus")[0].GetProperty("Status").GetString());
        Assert.Equal("already here", (await _west.Call("GetSecretValue", new { SecretId = name })).GetProperty("SecretString").GetString());

        await _east.Call("RemoveRegionsFromReplication", new { SecretId = name, RemoveReplicaRegions = new[] { "us-west-2" } });
        var forced = await _east.Call("ReplicateSecretToRegions",
            new { SecretId = name, AddReplicaRegions = new[] { new { Region = "us-west-2" } }, ForceOverwriteReplicaSecret = true });
        Assert.Equal("InSync", forced.GetProperty("ReplicationStatus")[0].GetProperty("Status").GetString());
        Assert.Equal("primary", (await _west.Call("GetSecretValue", new { SecretId = name })).GetProperty("SecretString").GetString());
    }

    [Fact]
    public async Task The_own_region_or_a_malformed_region_is_not_a_valid_replica()
    {
        var name = Unique();
        await _east.Call("CreateSecret", new { Name = name, SecretString = "v1" });
        foreach (var region in new[] { "us-east-1", "mars" })
        {
            var error = await _east.Fail("ReplicateSecretToRegions", new { SecretId = name, AddReplicaRegions = new[] { new { Region = region } } });
            Assert.Equal(("InvalidParameterException", "Invalid replica region."), (error.Code, error.Message));
        }
    }

    [Fact]
    public async Task ValidateResourcePolicy_flags_broad_access_and_BlockPublicPolicy_refuses_it()
    {
        var name = Unique();
        await _east.Call("CreateSecret", new { Name = name, SecretString = "v1" });
        const string Public = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""";
        const string Narrow = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""";

        var broad = await _east.Call("ValidateResourcePolicy", new { ResourcePolicy = Public });
        Assert.False(broad.GetProperty("PolicyValidationPassed").GetBoolean());
        Assert.NotEqual(0, broad.GetProperty("ValidationErrors").GetArrayLength());
        var fine = await _east.Call("ValidateResourcePolicy", new { ResourcePolicy = Narrow, SecretId = name });
        Assert.True(fine.GetProperty("PolicyValidationPassed").GetBoolean());

        Assert.Equal("MalformedPolicyDocumentException", (await _east.Fail("ValidateResourcePolicy", new { ResourcePolicy = "{not json" })).Code);
        Assert.Equal("PublicPolicyException", (await _east.Fail("PutResourcePolicy", new { SecretId = name, ResourcePolicy = Public, BlockPublicPolicy = true })).Code);
        var stored = await _east.Call("GetResourcePolicy", new { SecretId = name });
        Assert.Equal(JsonValueKind.Undefined, stored.TryGetProperty("ResourcePolicy", out var p) ? p.ValueKind : JsonValueKind.Undefined);
    }
}
