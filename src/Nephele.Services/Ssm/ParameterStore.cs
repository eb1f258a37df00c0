using System.Text.Json.Serialization;
using Nephele.Core.State;

namespace Nephele.Services.Ssm;

/// <summary>One version of a parameter as AWS keeps it in GetParameterHistory.</summary>
internal sealed record ParameterVersion
{
    public required long Version { get; init; }
    public required string Value { get; init; }
    public required string Type { get; init; }
    public required string Tier { get; init; }
    public required string DataType { get; init; }
    public string? Description { get; init; }
    public string? AllowedPattern { get; init; }
    public string? KeyId { get; init; }

    /// <summary>True when <see cref="Value"/> is the base64 KMS ciphertext of a SecureString; false for plain values
    /// and for SecureStrings stored before KMS encryption existed (kept as given).</summary>
    public bool Encrypted { get; init; }
    public required DateTimeOffset LastModifiedDate { get; init; }
    public required string LastModifiedUser { get; init; }
    public List<string> Labels { get; init; } = [];
    public List<ParameterPolicy> Policies { get; init; } = [];
}

/// <summary>A parameter: every version (latest last) and its tags, stored as one row keyed by name.</summary>
internal sealed record ParameterRecord
{
    public required string Name { get; init; }
    public List<ParameterVersion> Versions { get; init; } = [];
    public Dictionary<string, string> Tags { get; init; } = [];

    /// <summary>When the latest version's Expiration policy deletes the parameter.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    [JsonIgnore]
    public ParameterVersion Latest => Versions[^1];
}

[JsonSerializable(typeof(ParameterRecord))]
internal sealed partial class SsmJsonContext : JsonSerializerContext;

/// <summary>Parameters of one account+region, in name order (the order GetParametersByPath pages in).
/// An expired parameter (Expiration policy) is gone as soon as Nephele's clock passes its date, so expiry follows
/// clock control and restarts without a timer.</summary>
internal sealed class ParameterStore(IStateStore state, TimeProvider clock)
{
    // AWS keeps the 100 most recent versions of a parameter.
    public const int MaxVersions = 100;

    private readonly IResourceTable _table = state.Table("ssm", "parameters");

    public T Transaction<T>(Func<T> work) => state.Transaction(work);

    public ParameterRecord? Get(Scope scope, string name) =>
        _table.Get(scope, name, SsmJsonContext.Default.ParameterRecord) is { } record && Live(record) ? record : null;

    public void Put(Scope scope, ParameterRecord record) => _table.Put(scope, record.Name, record, SsmJsonContext.Default.ParameterRecord);

    public IEnumerable<ParameterRecord> All(Scope scope, string? prefix = null) =>
        _table.Values(scope, SsmJsonContext.Default.ParameterRecord, prefix).Where(Live);

    /// <summary>Deletes a live parameter; an expired one counts as already gone.</summary>
    public bool Delete(Scope scope, string name) => Get(scope, name) is not null && _table.Delete(scope, name);

    private bool Live(ParameterRecord record) => record.ExpiresAt is not { } at || at > clock.GetUtcNow();
}
