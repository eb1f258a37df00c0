using System.Text;
using Microsoft.Data.Sqlite;
using Nephele.Core.State;

namespace Nephele.Core.Tests.State;

public sealed class DurabilityTests : IDisposable
{
    private static readonly Scope Here = new("111111111111", "us-east-1");
    private readonly TempDataDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public async Task State_written_before_dispose_is_there_after_reopening_the_data_directory()
    {
        using (var store = _dir.Open())
        {
            store.Table("sqs", "queues").Put(Here, "q", B("queue"));
            store.Transaction(() =>
            {
                store.Table("sqs", "messages").Put(Here, "q/1", B("m"));
                return 0;
            });
            store.SetMeta("clock.offset", "5");
            await store.Blobs.WriteAsync("s3", "bucket/key", new MemoryStream(B("body")));
            Assert.Equal(Path.GetFullPath(_dir.Path), store.Location);
        }
        Assert.True(File.Exists(Path.Combine(_dir.Path, SqliteStateStore.DatabaseFileName)));

        using var reopened = _dir.Open();
        Assert.Equal("queue", Encoding.UTF8.GetString(reopened.Table("sqs", "queues").Get(Here, "q")!));
        Assert.NotNull(reopened.Table("sqs", "messages").Get(Here, "q/1"));
        Assert.Equal("5", reopened.GetMeta("clock.offset"));
        using var blob = reopened.Blobs.OpenRead("s3", "bucket/key");
        Assert.NotNull(blob);
        Assert.Equal("body", new StreamReader(blob).ReadToEnd());
    }

    [Fact]
    public async Task Every_acknowledged_write_survives_the_process_being_killed()
    {
        using var child = CrashingWriter.Start(_dir.Path);
        var lastAck = -1;
        var sawBlob = false;
        try
        {
            var read = Task.Run(() =>
            {
                while (child.StandardOutput.ReadLine() is { } line)
                {
                    if (line == "ack blob") sawBlob = true;
                    else if (line.StartsWith("ack ", StringComparison.Ordinal) && (lastAck = int.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture)) >= 300)
                        return;
                }
            });
            await read.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
        }
        Assert.True(sawBlob);
        Assert.True(lastAck >= 300, "stderr: " + child.StandardError.ReadToEnd());

        using var store = _dir.Open();
        var table = store.Table("sqs", "messages");
        for (var i = 0; i <= lastAck; i++)
        {
            Assert.Equal($"a{i}", Encoding.UTF8.GetString(table.Get(CrashingWriter.Scope, $"a/{i:D6}") ?? []));
            Assert.Equal($"b{i}", Encoding.UTF8.GetString(table.Get(CrashingWriter.Scope, $"b/{i:D6}") ?? []));
            Assert.Equal($"c{i}", Encoding.UTF8.GetString(table.Get(CrashingWriter.Scope, $"c/{i:D6}") ?? []));
        }
        // A transaction the kill interrupted is all there or not at all.
        Assert.Equal(table.List(CrashingWriter.Scope, prefix: "a/").Count, table.List(CrashingWriter.Scope, prefix: "b/").Count);
        Assert.Equal("600000000", store.GetMeta("clock.offset"));
        using var blob = store.Blobs.OpenRead("s3", "../../escape");
        Assert.Equal("blob", new StreamReader(blob!).ReadToEnd());
    }

    [Fact]
    public void A_write_through_one_store_is_visible_to_another_connection_before_dispose()
    {
        var store = _dir.Open();
        try
        {
            store.Table("sqs", "queues").Put(Here, "q", B("queue"));
            using var second = _dir.Open();
            Assert.NotNull(second.Table("sqs", "queues").Get(Here, "q"));
        }
        finally
        {
            store.Dispose();
        }
    }

    [Fact]
    public async Task Ephemeral_mode_keeps_state_in_memory_and_leaves_no_files()
    {
        var cwd = Directory.GetCurrentDirectory();
        var before = Directory.GetFileSystemEntries(cwd).ToHashSet();
        using (var store = SqliteStateStore.Open(null))
        {
            Assert.Equal("memory", store.Location);
            store.Table("sqs", "queues").Put(Here, "q", B("queue"));
            await store.Blobs.WriteAsync("s3", "k", new MemoryStream(B("body")));
            Assert.NotNull(store.Table("sqs", "queues").Get(Here, "q"));
            using var blob = store.Blobs.OpenRead("s3", "k");
            Assert.Equal("body", new StreamReader(blob!).ReadToEnd());
        }
        Assert.Equal(before.Order(), Directory.GetFileSystemEntries(cwd).Order());
        Assert.False(Directory.Exists(_dir.Path));
    }

    [Fact]
    public void Two_ephemeral_stores_do_not_share_state()
    {
        using var a = SqliteStateStore.Open(null);
        using var b = SqliteStateStore.Open(null);
        a.Table("sqs", "queues").Put(Here, "q", B("a"));
        Assert.Null(b.Table("sqs", "queues").Get(Here, "q"));
    }

    [Fact]
    public void A_data_directory_from_a_newer_schema_is_refused_with_a_clear_message()
    {
        _dir.Open().Dispose();
        var newer = SqliteStateStore.SchemaVersion + 1;
        Execute($"UPDATE meta SET value = '{newer}' WHERE key = 'schema_version'");

        var error = Assert.Throws<StateStoreException>(() => _dir.Open());
        Assert.Equal(
            $"data directory {Path.GetFullPath(_dir.Path)} was written by a newer Nephele (schema {newer}); this build reads up to {SqliteStateStore.SchemaVersion}",
            error.Message);
    }

    [Fact]
    public void A_database_without_a_schema_version_is_migrated_to_the_current_one()
    {
        Directory.CreateDirectory(_dir.Path);
        Execute("CREATE TABLE meta(key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");

        using var store = _dir.Open();
        Assert.Equal(SqliteStateStore.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), store.GetMeta("schema_version"));
        store.Table("sqs", "queues").Put(Here, "q", B("queue"));
        Assert.NotNull(store.Table("sqs", "queues").Get(Here, "q"));
    }

    [Fact]
    public void A_data_directory_that_cannot_be_created_is_reported_in_one_line()
    {
        Directory.CreateDirectory(_dir.Path);
        var file = Path.Combine(_dir.Path, "a-file");
        File.WriteAllText(file, "not a directory");

        var error = Assert.Throws<StateStoreException>(() => SqliteStateStore.Open(Path.Combine(file, "data")));
        Assert.StartsWith($"cannot use data directory {Path.Combine(file, "data")}: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_reported_in_one_line()
    {
        Directory.CreateDirectory(_dir.Path);
        File.WriteAllBytes(Path.Combine(_dir.Path, SqliteStateStore.DatabaseFileName), Enumerable.Repeat((byte)'x', 4096).ToArray());

        var error = Assert.Throws<StateStoreException>(() => _dir.Open());
        Assert.StartsWith($"cannot open {Path.Combine(Path.GetFullPath(_dir.Path), SqliteStateStore.DatabaseFileName)}: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void The_database_uses_write_ahead_logging()
    {
        using var store = _dir.Open();
        store.Table("sqs", "queues").Put(Here, "q", B("queue"));
        Assert.Equal("wal", Scalar("PRAGMA journal_mode"));
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_dir.Path, SqliteStateStore.DatabaseFileName),
            Pooling = false,
        }.ToString());
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private void Execute(string sql) => Scalar(sql);
}
