using Microsoft.Data.Sqlite;

namespace Nephele.Core.State;

/// <summary>
/// The database layout and its versions. The <c>meta</c> table and its <c>schema_version</c> row are the one
/// thing every version must keep as is: they are how a build tells whether it can read a data directory.
/// </summary>
internal static class SqliteSchema
{
    public const string VersionKey = "schema_version";

    /// <summary>Migrations[i] moves a database from version i to i + 1; the current version is their count.</summary>
    private static readonly string[] Migrations =
    [
        // 0 -> 1: a fresh database. BINARY collation orders keys by UTF-8 bytes, the order AWS lists in.
        """
        CREATE TABLE resources(
            service TEXT NOT NULL,
            tbl     TEXT NOT NULL,
            account TEXT NOT NULL,
            region  TEXT NOT NULL,
            key     TEXT NOT NULL COLLATE BINARY,
            value   BLOB NOT NULL,
            PRIMARY KEY(service, tbl, account, region, key)
        ) WITHOUT ROWID;
        """,
    ];

    public static int CurrentVersion => Migrations.Length;

    /// <summary>Brings the database to <see cref="CurrentVersion"/>, or refuses one written by a newer build.</summary>
    public static void Migrate(SqliteStatements db, string location)
    {
        db.Execute("CREATE TABLE IF NOT EXISTS meta(key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
        if (ReadVersion(db, location) == CurrentVersion) return;

        // IMMEDIATE takes the write lock first, so two processes opening an old directory migrate it once.
        db.Execute("BEGIN IMMEDIATE");
        try
        {
            var version = ReadVersion(db, location);
            for (; version < CurrentVersion; version++)
                db.Execute(Migrations[version]);
            db.SetMeta(VersionKey, CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
            db.Execute("COMMIT");
        }
        catch
        {
            db.Execute("ROLLBACK");
            throw;
        }
    }

    private static int ReadVersion(SqliteStatements db, string location)
    {
        var text = db.GetMeta(VersionKey);
        if (text is null) return 0;
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
            throw new StateStoreException($"data directory {location} has an unreadable schema version '{text}'");
        if (version > CurrentVersion)
            throw new StateStoreException(
                $"data directory {location} was written by a newer Nephele (schema {version}); this build reads up to {CurrentVersion}");
        return version;
    }

    /// <summary>Applies a connection's settings; journal mode and synchronous only matter on the writer.</summary>
    public static void Configure(SqliteConnection connection, bool writer, bool inMemory)
    {
        using var cmd = connection.CreateCommand();
        // busy_timeout: another process (a second node, the sqlite3 shell) may hold the write lock briefly.
        cmd.CommandText = inMemory || !writer
            ? "PRAGMA busy_timeout = 5000;"
            // WAL + synchronous=NORMAL: a commit is a write() of the log into the OS page cache, which survives
            // a crash or kill -9 of this process (the durability Nephele promises) at a few microseconds per
            // write. Only power loss or an OS crash can drop the latest commits, never corrupt the file; FULL
            // would fsync every commit and cost milliseconds on real disks.
            // Checkpoints run in the background (SqliteCheckpointer), not inside a commit; journal_size_limit
            // shrinks the log back after a burst of writes.
            : "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; " +
              "PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;";
        cmd.ExecuteNonQuery();
    }
}
