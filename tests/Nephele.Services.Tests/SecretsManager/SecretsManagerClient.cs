namespace Nephele.Services.Tests.SecretsManager;

/// <summary>Raw Secrets Manager JSON requests (AWSSDK.SecretsManager is not on the package mirror).</summary>
public sealed class SecretsManagerClient(HttpClient http, string region = "us-east-1")
    : JsonProtocolClient(http, "secretsmanager", "secretsmanager", region: region);
