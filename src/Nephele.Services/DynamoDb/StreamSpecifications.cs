using Nephele.Core.Protocols;
using Nephele.Services.DynamoDbStreams;

namespace Nephele.Services.DynamoDb;

/// <summary>StreamSpecification of CreateTable and UpdateTable, validated with DynamoDB's messages.</summary>
internal static class StreamSpecifications
{
    private const string Invalid = "One or more parameter values were invalid: ";
    private static readonly string[] ViewTypes = ["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"];

    /// <summary>CreateTable's stream: whether it is enabled and its view type.</summary>
    public static (bool Enabled, string? ViewType) ForCreate(Dictionary<string, object?>? spec)
    {
        if (spec is null) return (false, null);
        var (enabled, view) = Read(spec);
        if (enabled && view is null) throw AwsException.Validation(Invalid + "Table is being created with a stream enabled, UpdateViewType is required");
        if (!enabled && view is not null) throw AwsException.Validation(Invalid + "Table is being created with a stream disabled, UpdateViewType should not be specified");
        return (enabled, view);
    }

    /// <summary>The label of a new stream created now.</summary>
    public static string NewLabel(DateTimeOffset now, string? previous) => StreamStore.NewLabel(now, previous);

    /// <summary>
    /// UpdateTable's stream change: enabling starts a new stream (new label and ARN, the previous stream's shard
    /// is closed); disabling closes the current one.
    /// </summary>
    public static TableRecord Apply(TableRecord table, Dictionary<string, object?> spec, DateTimeOffset now)
    {
        var (enabled, view) = Read(spec);
        if (enabled && view is null) throw AwsException.Validation(Invalid + "If stream is being enabled then UpdateViewType is required");
        if (!enabled && view is not null) throw AwsException.Validation(Invalid + "If stream is being disabled, then UpdateViewType must not be specified");
        if (enabled && table.StreamEnabled) throw AwsException.Validation("Table already has an enabled stream: TableName: " + table.TableName);
        if (!enabled && !table.StreamEnabled) throw AwsException.Validation("Table has no stream to disable: TableName: " + table.TableName);
        return enabled
            ? table with { StreamEnabled = true, StreamViewType = view, LatestStreamLabel = NewLabel(now, table.LatestStreamLabel) }
            : table with { StreamEnabled = false };
    }

    private static (bool Enabled, string? ViewType) Read(Dictionary<string, object?> spec)
    {
        var enabled = spec.GetBool("StreamEnabled")
            ?? throw AwsException.Validation("1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null");
        var view = spec.GetString("StreamViewType");
        if (view is not null && !ViewTypes.Contains(view))
            throw AwsException.Validation($"1 validation error detected: Value '{view}' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", ViewTypes)}]");
        return (enabled, view);
    }
}
