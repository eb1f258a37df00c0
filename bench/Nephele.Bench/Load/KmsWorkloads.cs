using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Nephele.Bench.Cli;

namespace Nephele.Bench.Load;

/// <summary>The AWS SDK for .NET KMS client on one endpoint, with a fresh symmetric key of its own and 4 KiB of plaintext.</summary>
internal abstract class KmsWorkload : ILoadWorkload
{
    protected static readonly byte[] Plaintext = new byte[4096];
    protected AmazonKeyManagementServiceClient Client { get; }
    protected string KeyId { get; private set; } = "";
    protected byte[] Ciphertext { get; private set; } = [];

    protected KmsWorkload(Uri endpoint)
    {
        var config = new AmazonKeyManagementServiceConfig
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            // A retry would hide a failure and count a doubled latency as one request.
            MaxErrorRetry = 0,
            Timeout = TimeSpan.FromSeconds(10),
        };
        Client = new AmazonKeyManagementServiceClient(new BasicAWSCredentials("test", "test"), config);
    }

    public async Task CheckAsync(CancellationToken ct)
    {
        KeyId = (await Client.CreateKeyAsync(new CreateKeyRequest { Description = "nephele bench" }, ct)).KeyMetadata.KeyId;
        Ciphertext = (await Client.EncryptAsync(new EncryptRequest { KeyId = KeyId, Plaintext = new MemoryStream(Plaintext) }, ct)).CiphertextBlob.ToArray();
        var decrypted = await Client.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(Ciphertext) }, ct);
        if (decrypted.Plaintext.Length != Plaintext.Length)
            throw new BenchException($"Decrypt returned {decrypted.Plaintext.Length} bytes, expected {Plaintext.Length}.");
    }

    public Task PrepareAsync(TimeSpan window, CancellationToken ct) => Task.CompletedTask;

    public void Observe(LoadResult result) { }

    public abstract Task<int> SendAsync(CancellationToken ct);

    public void Dispose() => Client.Dispose();
}

/// <summary>`kms-encrypt`: Encrypt of 4 KiB under a symmetric key.</summary>
internal sealed class KmsEncryptWorkload(Uri endpoint) : KmsWorkload(endpoint)
{
    public override async Task<int> SendAsync(CancellationToken ct)
    {
        await Client.EncryptAsync(new EncryptRequest { KeyId = KeyId, Plaintext = new MemoryStream(Plaintext) }, ct);
        return 1;
    }
}

/// <summary>`kms-decrypt`: Decrypt of a 4 KiB ciphertext (no KeyId: the blob names its key).</summary>
internal sealed class KmsDecryptWorkload(Uri endpoint) : KmsWorkload(endpoint)
{
    public override async Task<int> SendAsync(CancellationToken ct)
    {
        await Client.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(Ciphertext) }, ct);
        return 1;
    }
}
