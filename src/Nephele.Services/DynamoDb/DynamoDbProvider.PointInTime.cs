using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.DynamoDb;

/// <summary>RestoreTableToPointInTime, from the item history kept while PITR is on (<see cref="PointInTimeHistory"/>).</summary>
public sealed partial class DynamoDbProvider
{
    /// <summary>The restorable window AWS reports: from when PITR was enabled (at most the recovery period back) to five minutes ago.</summary>
    private static (DateTimeOffset Earliest, DateTimeOffset Latest) RestorableWindow(TableRecord table, DateTimeOffset now)
    {
        var since = table.PitrEnabledSince ?? now;
        var window = now.AddDays(-table.RecoveryPeriodInDays);
        var earliest = since > window ? since : window;
        var latest = now.AddMinutes(-5);
        return (earliest, latest > earliest ? latest : earliest);
    }

    private Dictionary<string, object?> RestoreTableToPointInTime(RequestContext ctx, Dictionary<string, object?> input)
    {
        var sourceName = input.GetString("SourceTableName");
        var sourceArn = input.GetString("SourceTableArn");
        if (sourceName is null && sourceArn is null)
            throw AwsException.Validation("Either source table name or source table arn must be provided");
        if (sourceName is not null && sourceArn is not null)
            throw AwsException.Validation("Only one of source table name or source table arn may be provided");
        var useLatest = input.GetBool("UseLatestRestorableTime") == true;
        var requested = input.GetValueOrDefault("RestoreDateTime") as DateTimeOffset?;
        if (useLatest && requested is not null)
            throw AwsException.Validation("Only one of RestoreDateTime or UseLatestRestorableTime may be provided");
        if (!useLatest && requested is null)
            throw AwsException.Validation("Either RestoreDateTime or UseLatestRestorableTime must be provided");
        var source = BackupTable(ctx, sourceArn ?? sourceName!);
        if (!source.PointInTimeRecoveryEnabled)
            throw new AwsException("PointInTimeRecoveryUnavailableException", $"Point in time recovery is not enabled for table '{source.TableName}'");
        TableRestores.CheckFree(_store, ctx.Scope, input.GetString("TargetTableName"));
        var (earliest, latest) = RestorableWindow(source, ctx.Now);
        var at = requested ?? latest;
        // Clients send times to the millisecond: the window's ends count at that precision.
        if (at < earliest.AddTicks(-(earliest.UtcTicks % TimeSpan.TicksPerMillisecond)) || at > latest.AddTicks(TimeSpan.TicksPerMillisecond))
            throw new AwsException("InvalidRestoreTimeException",
                $"Invalid RestoreDateTime, the restore time must be between the earliest restorable time {earliest:yyyy-MM-ddTHH:mm:ss.fffZ} and the latest restorable time {latest:yyyy-MM-ddTHH:mm:ss.fffZ}");
        var table = TableRestores.Target(ctx, _kms, source, input, new RestoreRecord(null, source.TableArn, at));
        var rows = _store.Transaction(() => _store.History.ItemsAt(ctx.Scope, source, _store.Items(source), at));
        TableRestores.Create(_store, ctx.Scope, table, rows);
        return new() { ["TableDescription"] = TableDescriptions.Describe(table, _store.Stats(ctx.Scope, table), "CREATING") };
    }
}
