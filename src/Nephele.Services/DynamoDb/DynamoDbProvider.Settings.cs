using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.DynamoDb;

/// <summary>Tags, time to live, continuous backups, limits and endpoints.</summary>
public sealed partial class DynamoDbProvider
{
    private static Dictionary<string, string> ReadTags(List<object?>? tags)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var o in tags ?? [])
        {
            var t = (Dictionary<string, object?>)o!;
            result[t.RequireString("Key")] = t.GetString("Value") ?? "";
        }
        return result;
    }

    private TableRecord TableByArn(RequestContext ctx, string arn)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "dynamodb" || !parts[5].StartsWith("table/", StringComparison.Ordinal))
            throw AwsException.Validation($"Invalid TableArn: Invalid ResourceArn provided as input {arn}");
        var name = parts[5]["table/".Length..].Split('/')[0];
        if (parts[3] != ctx.Region || parts[4] != ctx.AccountId || _store.Find(ctx.Scope, name) is not { } table)
            throw new AwsException("ResourceNotFoundException", $"Requested resource not found: ResourcArn: {arn} not found");
        return table;
    }

    private Dictionary<string, object?> TagResource(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var table = TableByArn(ctx, input.RequireString("ResourceArn"));
        var tags = new Dictionary<string, string>(table.Tags, StringComparer.Ordinal);
        foreach (var (k, v) in ReadTags(input.GetList("Tags"))) tags[k] = v;
        if (tags.Count > 50) throw AwsException.Validation("One or more parameter values were invalid: Too many tags");
        _store.Put(ctx.Scope, table with { Tags = tags });
        return new Dictionary<string, object?>();
    });

    private Dictionary<string, object?> UntagResource(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var table = TableByArn(ctx, input.RequireString("ResourceArn"));
        var tags = new Dictionary<string, string>(table.Tags, StringComparer.Ordinal);
        foreach (var key in input.GetStrings("TagKeys")) tags.Remove(key);
        _store.Put(ctx.Scope, table with { Tags = tags });
        return new Dictionary<string, object?>();
    });

    private Dictionary<string, object?> ListTagsOfResource(RequestContext ctx, Dictionary<string, object?> input)
    {
        var table = TableByArn(ctx, input.RequireString("ResourceArn"));
        return new()
        {
            ["Tags"] = table.Tags.OrderBy(t => t.Key, StringComparer.Ordinal)
                .Select(t => (object?)new Dictionary<string, object?> { ["Key"] = t.Key, ["Value"] = t.Value }).ToList(),
        };
    }

    private Dictionary<string, object?> DescribeLimits(RequestContext ctx, Dictionary<string, object?> input) => new()
    {
        ["AccountMaxReadCapacityUnits"] = 80000L,
        ["AccountMaxWriteCapacityUnits"] = 80000L,
        ["TableMaxReadCapacityUnits"] = 40000L,
        ["TableMaxWriteCapacityUnits"] = 40000L,
    };

    private Dictionary<string, object?> DescribeEndpoints(RequestContext ctx, Dictionary<string, object?> input) => new()
    {
        ["Endpoints"] = new List<object?>
        {
            new Dictionary<string, object?> { ["Address"] = $"dynamodb.{ctx.Region}.amazonaws.com", ["CachePeriodInMinutes"] = 1440L },
        },
    };

    private Dictionary<string, object?> UpdateTimeToLive(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var table = RequireTable(ctx, input.RequireString("TableName"));
        var spec = input.GetStruct("TimeToLiveSpecification") ?? throw AwsException.Validation("1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null");
        var enabled = spec.GetBool("Enabled") ?? false;
        var attribute = spec.RequireString("AttributeName");
        if (enabled && table.TimeToLiveEnabled) throw AwsException.Validation("TimeToLive is already enabled");
        if (!enabled && !table.TimeToLiveEnabled) throw AwsException.Validation("TimeToLive is already disabled");
        if (!enabled && attribute != table.TimeToLiveAttribute)
            throw AwsException.Validation("TimeToLive is active on a different AttributeName: current AttributeName is " + table.TimeToLiveAttribute);
        _store.Put(ctx.Scope, table with { TimeToLiveEnabled = enabled, TimeToLiveAttribute = attribute });
        return new Dictionary<string, object?>
        {
            ["TimeToLiveSpecification"] = new Dictionary<string, object?> { ["Enabled"] = enabled, ["AttributeName"] = attribute },
        };
    });

    private Dictionary<string, object?> DescribeTimeToLive(RequestContext ctx, Dictionary<string, object?> input)
    {
        var table = RequireTable(ctx, input.RequireString("TableName"));
        var description = new Dictionary<string, object?> { ["TimeToLiveStatus"] = table.TimeToLiveEnabled ? "ENABLED" : "DISABLED" };
        if (table.TimeToLiveEnabled) description["AttributeName"] = table.TimeToLiveAttribute;
        return new() { ["TimeToLiveDescription"] = description };
    }

    private TableRecord BackupTable(RequestContext ctx, string name) =>
        _store.Find(ctx.Scope, TableNames.Resolve(ctx.Scope, name)!) ?? throw new AwsException("TableNotFoundException", $"Table not found: {name}");

    private Dictionary<string, object?> DescribeContinuousBackups(RequestContext ctx, Dictionary<string, object?> input) =>
        ContinuousBackups(ctx, BackupTable(ctx, input.RequireString("TableName")));

    private Dictionary<string, object?> UpdateContinuousBackups(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var table = BackupTable(ctx, input.RequireString("TableName"));
        var spec = input.GetStruct("PointInTimeRecoverySpecification")
            ?? throw AwsException.Validation("1 validation error detected: Value null at 'pointInTimeRecoverySpecification' failed to satisfy constraint: Member must not be null");
        var enabled = spec.GetBool("PointInTimeRecoveryEnabled") ?? false;
        var days = spec.GetInt("RecoveryPeriodInDays") ?? 35;
        if (days is < 1 or > 35)
            throw AwsException.Validation("1 validation error detected: Value at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value between 1 and 35");
        var previous = table;
        table = table with
        {
            PointInTimeRecoveryEnabled = enabled,
            RecoveryPeriodInDays = days,
            PitrEnabledSince = enabled ? table.PitrEnabledSince ?? ctx.Now : null,
        };
        _store.Put(ctx.Scope, table);
        // Disabling PITR discards the table's history, as AWS does; enabling again starts a new window.
        if (previous.PointInTimeRecoveryEnabled && !enabled) _store.Purge(ctx.Scope, _store.History.Entries(table));
        return ContinuousBackups(ctx, table);
    });

    private static Dictionary<string, object?> ContinuousBackups(RequestContext ctx, TableRecord table)
    {
        var pitr = new Dictionary<string, object?> { ["PointInTimeRecoveryStatus"] = table.PointInTimeRecoveryEnabled ? "ENABLED" : "DISABLED" };
        if (table.PointInTimeRecoveryEnabled)
        {
            var (earliest, latest) = RestorableWindow(table, ctx.Now);
            pitr["EarliestRestorableDateTime"] = earliest;
            pitr["LatestRestorableDateTime"] = latest;
            pitr["RecoveryPeriodInDays"] = (long)table.RecoveryPeriodInDays;
        }
        return new()
        {
            ["ContinuousBackupsDescription"] = new Dictionary<string, object?>
            {
                ["ContinuousBackupsStatus"] = "ENABLED",
                ["PointInTimeRecoveryDescription"] = pitr,
            },
        };
    }
}
