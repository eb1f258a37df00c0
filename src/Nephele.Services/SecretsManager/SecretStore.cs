using System.Text.Json.Serialization;
using Nephele.Core.State;

namespace Nephele.Services.SecretsManager;

/// <summary>One version of a secret's value and the staging labels (AWSCURRENT, AWSPREVIOUS, ...) attached to it.</summary>
internal sealed record SecretVersion
{
    public required string VersionId { get; init; }
    public string? SecretString { get; init; }
    public byte[]? SecretBinary { get; init; }

    /// <summary>The value encrypted through KMS (SecretString as UTF-8, or SecretBinary), bound to the secret ARN and
    /// version id. When set, SecretString and SecretBinary are null; versions stored before KMS encryption existed
    /// keep their plain value instead.</summary>
    public byte[]? Ciphertext { get; init; }

    /// <summary>Whether <see cref="Ciphertext"/> holds a SecretBinary (else a SecretString).</summary>
    public bool Binary { get; init; }

    public required DateTimeOffset CreatedDate { get; init; }
    public List<string> Stages { get; init; } = [];

    /// <summary>False for the version RotateSecret creates under AWSPENDING before the rotation function's createSecret
    /// step puts its value (AWS's "empty secret version"). The state store writes a missing byte array as "", which
    /// reads back empty.</summary>
    [JsonIgnore]
    public bool HasValue => Ciphertext is { Length: > 0 } || SecretString is not null || SecretBinary is { Length: > 0 };
}

/// <summary>RotationRules as given: AutomaticallyAfterDays, or a ScheduleExpression (rate(...) or cron(...)), and the
/// window Duration.</summary>
internal sealed record SecretRotationRules(long? AutomaticallyAfterDays, string? ScheduleExpression, string? Duration);

internal sealed record SecretTag(string Key, string Value);

/// <summary>One replica region of a primary secret; Status is InSync, or Failed when the region already had a secret of that name.</summary>
internal sealed record SecretReplica(string Region, string? KmsKeyId, string Status, string StatusMessage);

/// <summary>A secret with all its versions, stored as one row keyed by name.</summary>
internal sealed record SecretRecord
{
    public required string Name { get; init; }
    public required string Arn { get; init; }
    public string? Description { get; init; }
    public string? KmsKeyId { get; init; }
    public List<SecretTag> Tags { get; init; } = [];
    /// <summary>The resource policy as given; evaluated once IAM enforcement exists.</summary>
    public string? ResourcePolicy { get; init; }
    public required DateTimeOffset CreatedDate { get; init; }
    public required DateTimeOffset LastChangedDate { get; init; }
    /// <summary>When DeleteSecret scheduled the deletion; null while the secret is live.</summary>
    public DateTimeOffset? DeletedDate { get; init; }
    /// <summary>When the scheduled deletion takes effect on Nephele's clock.</summary>
    public DateTimeOffset? DeletionDate { get; init; }
    public List<SecretVersion> Versions { get; init; } = [];

    /// <summary>On a replica: the region of the primary secret it mirrors (replicas cannot be changed directly).</summary>
    public string? PrimaryRegion { get; init; }

    /// <summary>On a primary: the regions it is replicated to.</summary>
    public List<SecretReplica> Replicas { get; init; } = [];

    /// <summary>Whether rotation runs on schedule (RotateSecret with rules turns it on, CancelRotateSecret off).</summary>
    public bool RotationEnabled { get; init; }
    public string? RotationLambdaARN { get; init; }
    public SecretRotationRules? RotationRules { get; init; }
    public DateTimeOffset? LastRotatedDate { get; init; }
    /// <summary>When the next scheduled rotation is due on Nephele's clock; null while rotation is off.</summary>
    public DateTimeOffset? NextRotationDate { get; init; }
    /// <summary>The RotationToken of the rotation in progress, which the rotation function may pass to PutSecretValue.</summary>
    public string? RotationToken { get; init; }

    /// <summary>The version a rotation is filling: AWSPENDING on a version that is not AWSCURRENT (AWS calls that
    /// "a previous rotation isn't complete").</summary>
    public SecretVersion? PendingRotation() => WithStage("AWSPENDING") is { } pending && !pending.Stages.Contains("AWSCURRENT") ? pending : null;

    public SecretVersion? WithStage(string stage) => Versions.FirstOrDefault(v => v.Stages.Contains(stage, StringComparer.Ordinal));
}

[JsonSerializable(typeof(SecretRecord))]
[JsonSerializable(typeof(RotationEvent))]
internal sealed partial class SecretsManagerJsonContext : JsonSerializerContext;

/// <summary>Secrets of one account+region. A scheduled deletion is applied lazily when its date has passed,
/// so it follows Nephele's clock and survives restarts without a timer.</summary>
internal sealed class SecretStore(IStateStore state, TimeProvider clock)
{
    private readonly IResourceTable _table = state.Table("secretsmanager", "secrets");

    public T Transaction<T>(Func<T> work) => state.Transaction(work);

    public SecretRecord? Get(Scope scope, string name)
    {
        var record = _table.Get(scope, name, SecretsManagerJsonContext.Default.SecretRecord);
        return record is { DeletionDate: { } due } && due <= clock.GetUtcNow() ? null : record;
    }

    public void Put(Scope scope, SecretRecord record) => _table.Put(scope, record.Name, record, SecretsManagerJsonContext.Default.SecretRecord);

    public bool Delete(Scope scope, string name) => _table.Delete(scope, name);

    public IReadOnlyList<Scope> Scopes() => _table.Scopes();

    public IEnumerable<SecretRecord> All(Scope scope)
    {
        var now = clock.GetUtcNow();
        return _table.Values(scope, SecretsManagerJsonContext.Default.SecretRecord).Where(r => r.DeletionDate is not { } due || due > now);
    }
}
