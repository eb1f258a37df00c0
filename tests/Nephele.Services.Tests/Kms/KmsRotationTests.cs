using System.Net.Http.Json;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace Nephele.Services.Tests.Kms;

/// <summary>Moves the clock of its own server, so other tests' dates are not disturbed.</summary>
public sealed class KmsRotationTests(NepheleFixture nephele) : KmsTestBase(nephele), IClassFixture<NepheleFixture>
{
    private readonly NepheleFixture _nephele = nephele;

    [Fact]
    public async Task Rotation_status_follows_enable_and_disable()
    {
        var key = await NewKey();
        Assert.False((await Kms().GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId })).KeyRotationEnabled);

        await Kms().EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = 90 });
        var status = await Kms().GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId });
        Assert.True(status.KeyRotationEnabled);
        Assert.Equal(90, status.RotationPeriodInDays);
        Assert.NotNull(status.NextRotationDate);

        await Kms().DisableKeyRotationAsync(new DisableKeyRotationRequest { KeyId = key.KeyId });
        Assert.False((await Kms().GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId })).KeyRotationEnabled);
    }

    [Theory]
    [InlineData(89)]
    [InlineData(2561)]
    public async Task Rotation_period_must_be_between_90_and_2560_days(int days)
    {
        var key = await NewKey();
        var error = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() =>
            Kms().EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = days }));
        Assert.Equal("ValidationException", error.ErrorCode);
    }

    [Fact]
    public async Task On_demand_rotation_changes_the_material_and_old_ciphertexts_still_decrypt()
    {
        var key = await NewKey();
        var before = (await Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("old") })).CiphertextBlob;
        var materialBefore = (await Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.CurrentKeyMaterialId;

        var rotated = await Kms().RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId });
        Assert.Equal(key.KeyId, rotated.KeyId);
        var materialAfter = (await Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.CurrentKeyMaterialId;
        Assert.NotEqual(materialBefore, materialAfter);

        var after = (await Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("new") })).CiphertextBlob;
        Assert.Equal("old", Text((await Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = before })).Plaintext));
        Assert.Equal("new", Text((await Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = after })).Plaintext));

        var rotations = (await Kms().ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = key.KeyId })).Rotations;
        var rotation = Assert.Single(rotations);
        Assert.Equal(RotationType.ON_DEMAND, rotation.RotationType);
        Assert.Equal(materialAfter, rotation.KeyMaterialId);
    }

    [Fact]
    public async Task Automatic_rotation_happens_when_the_clock_passes_the_period()
    {
        var key = await NewKey();
        await Kms().EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = 90 });
        var before = (await Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("before"), EncryptionContext = new() { ["a"] = "b" } })).CiphertextBlob;
        var next = (await Kms().GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId })).NextRotationDate!.Value;

        using (var http = _nephele.Http())
            (await http.PostAsync("/_nephele/clock", JsonContent.Create(new Dictionary<string, string> { ["advance"] = "P91D" }))).EnsureSuccessStatusCode();

        var rotation = Assert.Single((await Kms().ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = key.KeyId })).Rotations);
        Assert.Equal(RotationType.AUTOMATIC, rotation.RotationType);
        Assert.Equal(next, rotation.RotationDate!.Value, TimeSpan.FromSeconds(1));
        Assert.True((await Kms().GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId })).NextRotationDate > next);
        var decrypted = await Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = before, EncryptionContext = new() { ["a"] = "b" } });
        Assert.Equal("before", Text(decrypted.Plaintext));
    }

    [Fact]
    public async Task Only_symmetric_encryption_keys_rotate()
    {
        var key = await NewKey(KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY);
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms().EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId }));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms().RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId }));
    }

    [Fact]
    public async Task Disabled_key_cannot_be_rotated()
    {
        var key = await NewKey();
        await Kms().DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        await Assert.ThrowsAsync<DisabledException>(() => Kms().RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId }));
    }
}
