namespace Nephele.Core.Gateway;

public sealed class NepheleOptions
{
    public string Host { get; set; } = "127.0.0.1";
    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; set; } = 4566;
    /// <summary>Null with <see cref="Ephemeral"/> keeps everything in memory.</summary>
    public string DataDir { get; set; } = ".nephele";
    public bool Ephemeral { get; set; }
    public bool EnforceSignatures { get; set; }
    /// <summary>Evaluate IAM policies on every request of an IAM user or role (account root credentials stay allowed).</summary>
    public bool EnforceIam { get; set; }
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; set; } = Microsoft.Extensions.Logging.LogLevel.Information;
}
