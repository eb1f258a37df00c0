using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace Nephele.Services.Tests.Kms;

public sealed class KmsCryptoTests(NepheleFixture nephele) : KmsTestBase(nephele), IClassFixture<NepheleFixture>
{
    private static readonly Dictionary<string, string> Context = new() { ["tenant"] = "acme", ["purpose"] = "test" };

    [Fact]
    public async Task Encrypted_data_decrypts_without_naming_the_key()
    {
        var key = await NewKey();
        var encrypted = await Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("hello kms") });
        Assert.Equal(key.Arn, encrypted.KeyId);
        Assert.DoesNotContain("hello kms", System.Text.Encoding.UTF8.GetString(encrypted.CiphertextBlob.ToArray()));

        var decrypted = await Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob });
        Assert.Equal("hello kms", Text(decrypted.Plaintext));
        Assert.Equal(key.Arn, decrypted.KeyId);
        Assert.Equal(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, decrypted.EncryptionAlgorithm);
    }

    [Fact]
    public async Task Encrypting_the_same_plaintext_twice_gives_different_ciphertexts()
    {
        var key = await NewKey();
        var first = await Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("same") });
        var second = await Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("same") });
        Assert.NotEqual(first.CiphertextBlob.ToArray(), second.CiphertextBlob.ToArray());
    }

    [Fact]
    public async Task Encryption_context_must_match_to_decrypt()
    {
        var key = await NewKey();
        var blob = (await Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("bound"), EncryptionContext = Context })).CiphertextBlob;

        var reordered = new Dictionary<string, string> { ["purpose"] = "test", ["tenant"] = "acme" };
        Assert.Equal("bound", Text((await Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = blob, EncryptionContext = reordered })).Plaintext));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = blob }));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Kms().DecryptAsync(new DecryptRequest
        {
            CiphertextBlob = blob,
            EncryptionContext = new() { ["tenant"] = "evil", ["purpose"] = "test" },
        }));
    }

    [Fact]
    public async Task Tampered_or_foreign_ciphertext_is_invalid()
    {
        var key = await NewKey();
        var blob = (await Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("intact") })).CiphertextBlob.ToArray();
        blob[^1] ^= 0x01;
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob) }));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = Bytes("not a kms blob at all") }));
    }

    [Fact]
    public async Task Decrypting_with_a_different_key_id_is_an_incorrect_key()
    {
        var key = await NewKey();
        var other = await NewKey();
        var blob = (await Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("x") })).CiphertextBlob;
        await Assert.ThrowsAsync<IncorrectKeyException>(() => Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = blob, KeyId = other.KeyId }));
        Assert.Equal("x", Text((await Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = blob, KeyId = key.Arn })).Plaintext));
    }

    [Fact]
    public async Task Encrypting_through_an_alias_uses_its_target_key()
    {
        var key = await NewKey();
        var alias = $"alias/enc-{key.KeyId}";
        await Kms().CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key.KeyId });
        var encrypted = await Kms().EncryptAsync(new EncryptRequest { KeyId = alias, Plaintext = Bytes("via alias") });
        Assert.Equal(key.Arn, encrypted.KeyId);
    }

    [Theory]
    [InlineData("AES_256", null, 32)]
    [InlineData("AES_128", null, 16)]
    [InlineData(null, 64, 64)]
    public async Task Data_key_has_the_requested_size_and_its_ciphertext_decrypts_to_it(string? spec, int? bytes, int expected)
    {
        var key = await NewKey();
        var request = new GenerateDataKeyRequest { KeyId = key.KeyId, EncryptionContext = Context };
        if (spec is not null) request.KeySpec = DataKeySpec.FindValue(spec);
        if (bytes is not null) request.NumberOfBytes = bytes;
        var dataKey = await Kms().GenerateDataKeyAsync(request);

        Assert.Equal(expected, dataKey.Plaintext.Length);
        var decrypted = await Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = dataKey.CiphertextBlob, EncryptionContext = Context });
        Assert.Equal(dataKey.Plaintext.ToArray(), decrypted.Plaintext.ToArray());
    }

    [Fact]
    public async Task Data_key_needs_exactly_one_of_key_spec_and_number_of_bytes()
    {
        var key = await NewKey();
        var error = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() =>
            Kms().GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId }));
        Assert.Equal("ValidationException", error.ErrorCode);
    }

    [Fact]
    public async Task Data_key_without_plaintext_returns_only_the_ciphertext()
    {
        var key = await NewKey();
        var dataKey = await Kms().GenerateDataKeyWithoutPlaintextAsync(new GenerateDataKeyWithoutPlaintextRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256 });
        Assert.Equal(key.Arn, dataKey.KeyId);
        var decrypted = await Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = dataKey.CiphertextBlob });
        Assert.Equal(32, decrypted.Plaintext.Length);
    }

    [Fact]
    public async Task Re_encrypted_data_decrypts_under_the_destination_key_and_context()
    {
        var source = await NewKey();
        var destination = await NewKey();
        var blob = (await Kms().EncryptAsync(new EncryptRequest { KeyId = source.KeyId, Plaintext = Bytes("moving"), EncryptionContext = Context })).CiphertextBlob;

        var reEncrypted = await Kms().ReEncryptAsync(new ReEncryptRequest
        {
            CiphertextBlob = blob,
            SourceEncryptionContext = Context,
            DestinationKeyId = destination.KeyId,
            DestinationEncryptionContext = new() { ["stage"] = "two" },
        });
        Assert.Equal(source.Arn, reEncrypted.SourceKeyId);
        Assert.Equal(destination.Arn, reEncrypted.KeyId);

        var decrypted = await Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = reEncrypted.CiphertextBlob, EncryptionContext = new() { ["stage"] = "two" } });
        Assert.Equal("moving", Text(decrypted.Plaintext));
        Assert.Equal(destination.Arn, decrypted.KeyId);
    }

    [Fact]
    public async Task Random_bytes_have_the_requested_length_and_differ()
    {
        var first = await Kms().GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 32 });
        var second = await Kms().GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 32 });
        Assert.Equal(32, first.Plaintext.Length);
        Assert.NotEqual(first.Plaintext.ToArray(), second.Plaintext.ToArray());
    }

    [Fact]
    public async Task Dry_run_checks_the_request_and_answers_dry_run_operation()
    {
        var key = await NewKey();
        await Assert.ThrowsAsync<DryRunOperationException>(() => Kms().EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Bytes("x"), DryRun = true }));
        await Assert.ThrowsAsync<NotFoundException>(() => Kms().EncryptAsync(new EncryptRequest { KeyId = Guid.NewGuid().ToString(), Plaintext = Bytes("x"), DryRun = true }));
        await Assert.ThrowsAsync<DryRunOperationException>(() => Kms().CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = key.KeyId,
            GranteePrincipal = "arn:aws:iam::000000000000:role/a",
            Operations = [GrantOperation.Decrypt],
            DryRun = true,
        }));
        Assert.Empty((await Kms().ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId })).Grants);
    }
}
