using Nephele.Core.State;

namespace Nephele.Services.DynamoDb;

/// <summary>Backups, exports and imports of one Nephele, each in its own state table keyed by ARN.</summary>
internal sealed class BackupStore(IStateStore state)
{
    private const string Service = "dynamodb";
    private readonly IResourceTable _backups = state.Table(Service, "backups");
    private readonly IResourceTable _exports = state.Table(Service, "exports");
    private readonly IResourceTable _imports = state.Table(Service, "imports");

    public IResourceTable Snapshot(string snapshotId) => state.Table(Service, "backup:" + snapshotId);

    public BackupRecord? Backup(Scope scope, string arn) => _backups.Get(scope, arn, DynamoDbBackupJsonContext.Default.BackupRecord);

    public void PutBackup(Scope scope, BackupRecord backup) => _backups.Put(scope, backup.BackupArn, backup, DynamoDbBackupJsonContext.Default.BackupRecord);

    public bool DeleteBackup(Scope scope, string arn) => _backups.Delete(scope, arn);

    public IEnumerable<BackupRecord> Backups(Scope scope) => _backups.Values(scope, DynamoDbBackupJsonContext.Default.BackupRecord);

    public IReadOnlyList<Scope> BackupScopes() => _backups.Scopes();

    public ExportRecord? Export(Scope scope, string arn) => _exports.Get(scope, arn, DynamoDbBackupJsonContext.Default.ExportRecord);

    public void PutExport(Scope scope, ExportRecord export) => _exports.Put(scope, export.ExportArn, export, DynamoDbBackupJsonContext.Default.ExportRecord);

    public IEnumerable<ExportRecord> Exports(Scope scope) => _exports.Values(scope, DynamoDbBackupJsonContext.Default.ExportRecord);

    public ImportRecord? Import(Scope scope, string arn) => _imports.Get(scope, arn, DynamoDbBackupJsonContext.Default.ImportRecord);

    public void PutImport(Scope scope, ImportRecord import) => _imports.Put(scope, import.ImportArn, import, DynamoDbBackupJsonContext.Default.ImportRecord);

    public IEnumerable<ImportRecord> Imports(Scope scope) => _imports.Values(scope, DynamoDbBackupJsonContext.Default.ImportRecord);

    /// <summary>The 13-digit milliseconds and 8 hex digits that end backup ARNs ("…/backup/1700000000000-1a2b3c4d").</summary>
    public static string BackupSuffix(DateTimeOffset at) => $"{at.ToUnixTimeMilliseconds():D13}-{Random.Shared.Next():x8}";

    /// <summary>The 14-digit (zero-padded) milliseconds and 8 hex digits of export and import ids ("01700000000000-1a2b3c4d").</summary>
    public static string RunId(DateTimeOffset at) => $"{at.ToUnixTimeMilliseconds():D14}-{Random.Shared.Next():x8}";
}
