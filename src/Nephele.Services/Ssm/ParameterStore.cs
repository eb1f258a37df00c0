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
    public required DateTimeOffset LastModifiedDate { get; init; }
    public required string LastModifiedUser { get; init; }
    public List<string> Labels { get; init; } = [];
}

/// <summary>A parameter: every version (latest last) and its tags, stored as one row keyed by name.</summary>
internal sealed record ParameterRecord
{
    public required string Name { get; init; }
    public List<ParameterVersion> Versions { get; init; } = [];
    public Dictionary<string, string> Tags { get; init; } = [];

    [JsonIgnore]
    public ParameterVersion Latest => Versions[^1];
}

[JsonSerializable(typeof(ParameterRecord))]
internal sealed partial class SsmJsonContext : JsonSerializerContext;

/// <summary>Parameters of one account+region, in name order (the order GetParametersByPath pages in).</summary>
internal sealed class ParameterStore(IStateStore state)
{
    // AWS keeps the 100 most recent versions of a parameter.
    public const int MaxVersions = 100;

    private readonly IResourceTable _table = state.Table("ssm", "parameters");

    public T Transaction<T>(Func<T> work) => state.Transaction(work);

    public ParameterRecord? Get(Scope scope, string name) => _table.Get(scope, name, SsmJsonContext.Default.ParameterRecord);

    public void Put(Scope scope, ParameterRecord record) => _table.Put(scope, record.Name, record, SsmJsonContext.Default.ParameterRecord);

    public bool Delete(Scope scope, string name) => _table.Delete(scope, name);

    public IEnumerable<ParameterRecord> All(Scope scope, string? prefix = null) => _table.Values(scope, SsmJsonContext.Default.ParameterRecord, prefix);
}
