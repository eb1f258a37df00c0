using System.Net.Http.Json;
using System.Security.Cryptography;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace Nephele.Services.Tests.Kms;

/// <summary>Moves the clock of its own server, so other tests' dates are not disturbed.</summary>
public sealed class KmsImportTests(NepheleFixture nephele) : KmsTestBase(nephele), IClassFixture<NepheleFixture>
{
    private readonly NepheleFixture _nephele = nephele;

    [Fact]
    public async Task Imported_key_material_encrypts_and_can_be_deleted_and_imported_again()
    {
        var key = (await Kms().CreateKeyAsync(new CreateKeyRequest { Origin = OriginType.EXTERNAL })).KeyMetadata;
        Assert.Equal(KeyState.PendingImport, key.KeyState);
        Assert.Equal(OriginType.EXTERNAL, key.Origin);
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("x") }));

        var material = RandomNumberGenerator.GetBytes(32);
        await ImportAsync(key.KeyId, material);
        Assert.Equal(KeyState.Enabled, (await Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.KeyState);
        var blob = (await Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("imported") })).CiphertextBlob.ToArray();

        await Kms().DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest { KeyId = key.KeyId });
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob) }));
        await Assert.ThrowsAsync<IncorrectKeyMaterialException>(() => ImportAsync(key.KeyId, RandomNumberGenerator.GetBytes(32)));

        await ImportAsync(key.KeyId, material);
        Assert.Equal("imported", Text((await Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob) })).Plaintext));
    }

    [Fact]
    public async Task Expiring_key_material_is_gone_when_the_clock_passes_valid_to()
    {
        var key = (await Kms().CreateKeyAsync(new CreateKeyRequest { Origin = OriginType.EXTERNAL })).KeyMetadata;
        await ImportAsync(key.KeyId, RandomNumberGenerator.GetBytes(32), DateTime.UtcNow.AddDays(1));
        Assert.Equal(ExpirationModelType.KEY_MATERIAL_EXPIRES, (await Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.ExpirationModel);

        using (var http = _nephele.Http())
            (await http.PostAsync("/_nephele/clock", JsonContent.Create(new Dictionary<string, string> { ["advance"] = "P2D" }))).EnsureSuccessStatusCode();

        Assert.Equal(KeyState.PendingImport, (await Kms().DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.KeyState);
    }

    [Fact]
    public async Task Import_token_must_be_the_one_issued_for_the_key()
    {
        var key = (await Kms().CreateKeyAsync(new CreateKeyRequest { Origin = OriginType.EXTERNAL })).KeyMetadata;
        var parameters = await Kms().GetParametersForImportAsync(new GetParametersForImportRequest
        {
            KeyId = key.KeyId,
            WrappingAlgorithm = AlgorithmSpec.RSAES_OAEP_SHA_256,
            WrappingKeySpec = WrappingKeySpec.RSA_2048,
        });
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(parameters.PublicKey.ToArray(), out _);
        await Assert.ThrowsAsync<InvalidImportTokenException>(() => Kms().ImportKeyMaterialAsync(new ImportKeyMaterialRequest
        {
            KeyId = key.KeyId,
            ImportToken = new MemoryStream(new byte[64]),
            EncryptedKeyMaterial = new MemoryStream(rsa.Encrypt(new byte[32], RSAEncryptionPadding.OaepSHA256)),
            ExpirationModel = ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE,
        }));
        var native = await NewKey();
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms().GetParametersForImportAsync(new GetParametersForImportRequest
        {
            KeyId = native.KeyId,
            WrappingAlgorithm = AlgorithmSpec.RSAES_OAEP_SHA_256,
            WrappingKeySpec = WrappingKeySpec.RSA_2048,
        }));
    }

    private async Task ImportAsync(string keyId, byte[] material, DateTime? validTo = null)
    {
        var parameters = await Kms().GetParametersForImportAsync(new GetParametersForImportRequest
        {
            KeyId = keyId,
            WrappingAlgorithm = AlgorithmSpec.RSAES_OAEP_SHA_256,
            WrappingKeySpec = WrappingKeySpec.RSA_2048,
        });
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(parameters.PublicKey.ToArray(), out _);
        var request = new ImportKeyMaterialRequest
        {
            KeyId = keyId,
            ImportToken = parameters.ImportToken,
            EncryptedKeyMaterial = new MemoryStream(rsa.Encrypt(material, RSAEncryptionPadding.OaepSHA256)),
            ExpirationModel = validTo is null ? ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE : ExpirationModelType.KEY_MATERIAL_EXPIRES,
        };
        if (validTo is not null) request.ValidTo = validTo;
        await Kms().ImportKeyMaterialAsync(request);
    }
}
