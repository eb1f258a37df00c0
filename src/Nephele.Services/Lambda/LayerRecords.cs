using System.Text.Json.Serialization;

namespace Nephele.Services.Lambda;

/// <summary>A layer: what outlives its versions. Keyed by layer name; kept after its last version is deleted,
/// because AWS never reuses a version number.</summary>
internal sealed record LayerRecord
{
    public required string Name { get; init; }
    public long NextVersion { get; init; } = 1;
}

/// <summary>One immutable layer version; its .zip lives in the blob <see cref="CodeBlob"/>. Keyed "name:NNNNNNNNNN".</summary>
internal sealed record LayerVersionRecord
{
    public required string LayerName { get; init; }
    public required long Version { get; init; }
    public string? Description { get; init; }
    public List<string> CompatibleRuntimes { get; init; } = [];
    public List<string> CompatibleArchitectures { get; init; } = [];
    public string? LicenseInfo { get; init; }
    public required string CodeBlob { get; init; }
    public required string CodeSha256 { get; init; }
    public required long CodeSize { get; init; }
    public required DateTimeOffset CreatedDate { get; init; }
    /// <summary>Layer version policy statements (AddLayerVersionPermission), JSON text each.</summary>
    public List<PolicyStatement> Policy { get; init; } = [];
    public string PolicyRevisionId { get; init; } = "";
}

/// <summary>A layer version a function uses: what its environments need even after the layer version is deleted
/// (AWS keeps deleted layer versions working for the functions that already use them).</summary>
internal sealed record FunctionLayer(string Arn, long CodeSize, string CodeSha256, string CodeBlob);

[JsonSerializable(typeof(LayerRecord))]
[JsonSerializable(typeof(LayerVersionRecord))]
internal sealed partial class LayerJsonContext : JsonSerializerContext;
