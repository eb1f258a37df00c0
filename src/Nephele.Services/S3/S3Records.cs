using System.Text.Json.Serialization;

namespace Nephele.Services.S3;

/// <summary>A bucket: its name is unique across all accounts; it belongs to one account and lives in one region.</summary>
internal sealed record BucketRecord
{
    public required string Name { get; init; }
    public required string Owner { get; init; }
    public required string Region { get; init; }
    public required DateTimeOffset CreationDate { get; init; }
    /// <summary>BucketOwnerEnforced (the default since April 2023), BucketOwnerPreferred or ObjectWriter.</summary>
    public string ObjectOwnership { get; init; } = "BucketOwnerEnforced";
    public bool ObjectLockEnabled { get; init; }
    /// <summary>Null until versioning is first configured, then Enabled or Suspended (a bucket never returns to unversioned).</summary>
    public string? Versioning { get; init; }
    public string? MfaDelete { get; init; }
}

[JsonSerializable(typeof(BucketRecord))]
internal sealed partial class S3JsonContext : JsonSerializerContext;
