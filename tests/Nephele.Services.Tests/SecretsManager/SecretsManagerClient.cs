namespace Nephele.Services.Tests.SecretsManager;

/// <summary>Raw Secrets Manager JSON requests (AWSSDK.SecretsManager is not on the package mirror).</summary>
public sealed class SecretsManagerClient(HttpClient http) : JsonProtocolClient(http, "secretsmanager", "secretsmanager");
