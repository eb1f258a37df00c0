using System.Text.Json.Serialization;

namespace Nephele.Services.Lambda;

/// <summary>
/// The configuration of one version of a function ($LATEST or a published number). Published versions are
/// immutable copies of $LATEST at publish time; the code lives in a blob named by <see cref="CodeBlob"/>.
/// </summary>
internal sealed record FunctionVersionRecord
{
    public required string FunctionName { get; init; }
    public required string Version { get; init; }
    public required string Runtime { get; init; }
    public required string Role { get; init; }
    public required string Handler { get; init; }
    public string Description { get; init; } = "";
    public int Timeout { get; init; } = 3;
    public int MemorySize { get; init; } = 128;
    public int EphemeralStorage { get; init; } = 512;
    public List<string> Architectures { get; init; } = ["x86_64"];
    public Dictionary<string, string> Environment { get; init; } = [];
    public string TracingMode { get; init; } = "PassThrough";
    public string? DeadLetterTargetArn { get; init; }
    public string? KmsKeyArn { get; init; }
    public string LogFormat { get; init; } = "Text";
    public string? LogGroup { get; init; }
    /// <summary>Layer versions in the order they are applied to /opt (see LambdaProvider.LayersFunctions.cs).</summary>
    public List<FunctionLayer> Layers { get; init; } = [];
    public required string CodeBlob { get; init; }
    public required string CodeSha256 { get; init; }
    public required long CodeSize { get; init; }
    public required DateTimeOffset LastModified { get; init; }
    public required string RevisionId { get; init; }
}

/// <summary>A provisioned concurrency config of one version or alias. Keyed "function:qualifier".</summary>
internal sealed record ProvisionedConcurrencyRecord
{
    public required string FunctionName { get; init; }
    public required string Qualifier { get; init; }
    public required int Requested { get; init; }
    public required DateTimeOffset LastModified { get; init; }
}

/// <summary>The function itself: what is shared by all its versions. Keyed by function name.</summary>
internal sealed record FunctionRecord
{
    public required string Name { get; init; }
    public Dictionary<string, string> Tags { get; init; } = [];
    public int? ReservedConcurrency { get; init; }
    /// <summary>The number the next PublishVersion gets (versions are never reused, even after deletion).</summary>
    public int NextVersion { get; init; } = 1;
    /// <summary>Resource policy statements (JSON text each), keyed by qualifier ("" for the unqualified function).</summary>
    public Dictionary<string, List<PolicyStatement>> Policies { get; init; } = [];
}

internal sealed record PolicyStatement(string Sid, string Json);

/// <summary>An alias, keyed by "function:alias".</summary>
internal sealed record AliasRecord
{
    public required string FunctionName { get; init; }
    public required string Name { get; init; }
    public required string FunctionVersion { get; init; }
    public string Description { get; init; } = "";
    public Dictionary<string, double> AdditionalVersionWeights { get; init; } = [];
    public required string RevisionId { get; init; }
}

[JsonSerializable(typeof(FunctionVersionRecord))]
[JsonSerializable(typeof(FunctionRecord))]
[JsonSerializable(typeof(AliasRecord))]
[JsonSerializable(typeof(ProvisionedConcurrencyRecord))]
internal sealed partial class LambdaJsonContext : JsonSerializerContext;
