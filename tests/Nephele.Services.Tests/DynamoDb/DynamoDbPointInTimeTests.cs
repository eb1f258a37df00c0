using System.Net.Http.Json;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Nephele.Services.Tests.DynamoDb;

/// <summary>Point-in-time recovery on Nephele's clock (their own server: the clock moves).</summary>
public sealed class DynamoDbPointInTimeTests(NepheleFixture nephele) : DynamoDbTestBase(nephele), IClassFixture<NepheleFixture>
{
    private async Task Advance(string duration)
    {
        using var http = Nephele.Http();
        (await http.PostAsync("/_nephele/clock", JsonContent.Create(new Dictionary<string, string> { ["advance"] = duration }))).EnsureSuccessStatusCode();
    }

    private async Task<DateTime> Now()
    {
        using var http = Nephele.Http();
        using var clock = JsonDocument.Parse(await http.GetStringAsync("/_nephele/clock"));
        return clock.RootElement.GetProperty("now").GetDateTimeOffset().UtcDateTime;
    }

    private async Task EnablePitr(string table) => await Ddb().UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
    {
        TableName = table,
        PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true },
    });

    private async Task<List<string>> Values(string table) =>
        (await Ddb().ScanAsync(new ScanRequest { TableName = table })).Items.Select(i => $"{i["pk"].S}={i["v"].S}").Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Restore_to_point_in_time_rebuilds_the_table_as_it_was_then()
    {
        var table = await NewTable();
        var ddb = Ddb();
        await ddb.PutItemAsync(table, Item(("pk", S("before-pitr")), ("v", S("1"))));
        await EnablePitr(table);
        await Advance("PT1M");
        await ddb.PutItemAsync(table, Item(("pk", S("a")), ("v", S("1"))));
        await ddb.PutItemAsync(table, Item(("pk", S("b")), ("v", S("1"))));
        await Advance("PT10M");
        var then = await Now();
        await Advance("PT1M");
        await ddb.PutItemAsync(table, Item(("pk", S("a")), ("v", S("2"))));
        await ddb.DeleteItemAsync(table, new() { ["pk"] = S("b") });
        await ddb.PutItemAsync(table, Item(("pk", S("c")), ("v", S("1"))));
        await ddb.DeleteItemAsync(table, new() { ["pk"] = S("before-pitr") });
        await Advance("PT10M");

        var target = NewName("pitr");
        var restored = (await ddb.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest
        {
            SourceTableName = table,
            TargetTableName = target,
            RestoreDateTime = then,
        })).TableDescription;
        Assert.Equal(TableStatus.CREATING, restored.TableStatus);
        Assert.Equal(["a=1", "b=1", "before-pitr=1"], await Values(target));
        var summary = (await ddb.DescribeTableAsync(target)).Table.RestoreSummary;
        Assert.Equal(then, summary.RestoreDateTime!.Value.ToUniversalTime(), TimeSpan.FromMilliseconds(1));
        Assert.EndsWith($":table/{table}", summary.SourceTableArn);
        Assert.Equal(3, (await ddb.DescribeTableAsync(target)).Table.ItemCount);

        // The latest restorable time is five minutes ago: everything above is in it.
        var latest = NewName("pitr");
        await ddb.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest
        {
            SourceTableArn = (await ddb.DescribeTableAsync(table)).Table.TableArn,
            TargetTableName = latest,
            UseLatestRestorableTime = true,
        });
        Assert.Equal(["a=2", "c=1"], await Values(latest));
    }

    [Fact]
    public async Task Restore_times_outside_the_window_and_tables_without_pitr_are_refused()
    {
        var table = await NewTable();
        var ddb = Ddb();
        var unavailable = await Assert.ThrowsAsync<PointInTimeRecoveryUnavailableException>(() => ddb.RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest { SourceTableName = table, TargetTableName = NewName(), UseLatestRestorableTime = true }));
        Assert.Equal($"Point in time recovery is not enabled for table '{table}'", unavailable.Message);

        await EnablePitr(table);
        await Advance("PT20M");
        var window = (await ddb.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = table }))
            .ContinuousBackupsDescription.PointInTimeRecoveryDescription;
        Assert.Equal((await Now()).AddMinutes(-5), window.LatestRestorableDateTime!.Value.ToUniversalTime(), TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<InvalidRestoreTimeException>(() => ddb.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest
        {
            SourceTableName = table,
            TargetTableName = NewName(),
            RestoreDateTime = window.EarliestRestorableDateTime!.Value.ToUniversalTime().AddMinutes(-1),
        }));
        var recent = (await Now()).AddMinutes(-1);
        await Assert.ThrowsAsync<InvalidRestoreTimeException>(() => ddb.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest
        {
            SourceTableName = table,
            TargetTableName = NewName(),
            RestoreDateTime = recent,
        }));
        await Assert.ThrowsAsync<TableAlreadyExistsException>(() => ddb.RestoreTableToPointInTimeAsync(
            new RestoreTableToPointInTimeRequest { SourceTableName = table, TargetTableName = table, UseLatestRestorableTime = true }));
    }

    [Fact]
    public async Task The_recovery_period_bounds_the_window_and_deleting_a_pitr_table_leaves_a_system_backup()
    {
        var table = await NewTable();
        var ddb = Ddb();
        await ddb.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = table,
            PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true, RecoveryPeriodInDays = 1 },
        });
        await ddb.PutItemAsync(table, Item(("pk", S("old")), ("v", S("1"))));
        await Advance("P2D");
        var window = (await ddb.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = table }))
            .ContinuousBackupsDescription.PointInTimeRecoveryDescription;
        Assert.Equal((await Now()).AddDays(-1), window.EarliestRestorableDateTime!.Value.ToUniversalTime(), TimeSpan.FromSeconds(2));
        var target = NewName("pitr");
        await ddb.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest
        {
            SourceTableName = table,
            TargetTableName = target,
            // The window's start moves on with the clock: restore a little after it.
            RestoreDateTime = window.EarliestRestorableDateTime.Value.ToUniversalTime().AddMinutes(1),
        });
        Assert.Equal(["old=1"], await Values(target));

        await ddb.DeleteTableAsync(table);
        var system = Assert.Single((await ddb.ListBackupsAsync(new ListBackupsRequest { TableName = table, BackupType = BackupTypeFilter.SYSTEM })).BackupSummaries);
        Assert.Equal(BackupType.SYSTEM, system.BackupType);
        Assert.Equal($"{table}$DeletedTableBackup", system.BackupName);
        Assert.NotNull(system.BackupExpiryDateTime);
        var again = NewName("sys");
        await ddb.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { TargetTableName = again, BackupArn = system.BackupArn });
        Assert.Equal(["old=1"], await Values(again));
    }
}
