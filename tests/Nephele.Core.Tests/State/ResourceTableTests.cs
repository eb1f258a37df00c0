using System.Text;
using Nephele.Core.State;

namespace Nephele.Core.Tests.State;

public sealed class ResourceTableTests : IDisposable
{
    private static readonly Scope Here = new("111111111111", "us-east-1");
    private readonly TempDataDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static string S(byte[]? b) => b is null ? "<null>" : Encoding.UTF8.GetString(b);

    private static string[] Keys(IReadOnlyList<KeyValuePair<string, byte[]>> rows) => [.. rows.Select(r => r.Key)];

    [Theory, InlineData(false), InlineData(true)]
    public void Put_then_get_returns_the_value_and_put_again_replaces_it(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var table = store.Table("sqs", "queues");
        Assert.Null(table.Get(Here, "q1"));
        table.Put(Here, "q1", B("one"));
        Assert.Equal("one", S(table.Get(Here, "q1")));
        table.Put(Here, "q1", B("uno"));
        Assert.Equal("uno", S(table.Get(Here, "q1")));
        Assert.Equal(1, table.Count(Here));
    }

    [Theory, InlineData(false), InlineData(true)]
    public void Empty_values_and_empty_keys_round_trip(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var table = store.Table("s3", "objects");
        table.Put(Here, "", []);
        Assert.Equal([], table.Get(Here, "")!);
    }

    [Theory, InlineData(false), InlineData(true)]
    public void Delete_removes_a_row_and_reports_whether_it_existed(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var table = store.Table("sqs", "queues");
        table.Put(Here, "q1", B("one"));
        Assert.True(table.Delete(Here, "q1"));
        Assert.Null(table.Get(Here, "q1"));
        Assert.False(table.Delete(Here, "q1"));
        Assert.Equal(0, table.Count(Here));
    }

    [Theory, InlineData(false), InlineData(true)]
    public void TryAdd_inserts_only_when_the_key_is_absent(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var table = store.Table("s3", "buckets");
        Assert.True(table.TryAdd(Here, "bucket", B("first")));
        Assert.False(table.TryAdd(Here, "bucket", B("second")));
        Assert.Equal("first", S(table.Get(Here, "bucket")));
    }

    [Theory, InlineData(false), InlineData(true)]
    public void List_returns_keys_in_utf8_byte_order_including_unicode_and_path_like_keys(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var table = store.Table("s3", "objects");
        // U+FF5E (fullwidth tilde) sorts before U+1F600 (emoji) in UTF-8 but after it in .NET ordinal (UTF-16).
        string[] keys = ["b", "a/b", "a", "a/", "../etc/passwd", "Z", "é", "\uFF5E", "\U0001F600", "a/b/c", "a.b", " ", "~"];
        foreach (var key in keys) table.Put(Here, key, B("v:" + key));

        var rows = table.List(Here);
        string[] expected = [.. keys.Order(KeyOrder.Comparer)];
        Assert.Equal(expected, Keys(rows));
        Assert.Equal(
            [" ", "../etc/passwd", "Z", "a", "a.b", "a/", "a/b", "a/b/c", "b", "~", "é", "\uFF5E", "\U0001F600"],
            expected);
        Assert.All(rows, r => Assert.Equal("v:" + r.Key, S(r.Value)));
    }

    [Theory, InlineData(false), InlineData(true)]
    public void List_with_a_prefix_returns_only_keys_that_start_with_it(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var table = store.Table("s3", "objects");
        foreach (var key in (string[])["a", "a/", "a/1", "a/2/x", "a0", "a.", "b/1", "é/1", "é/2", "ê", "\U0001F600/1", "\U0001F601"])
            table.Put(Here, key, B(key));

        Assert.Equal(["a/", "a/1", "a/2/x"], Keys(table.List(Here, prefix: "a/")));
        Assert.Equal(["a", "a.", "a/", "a/1", "a/2/x", "a0"], Keys(table.List(Here, prefix: "a")));
        Assert.Equal(["é/1", "é/2"], Keys(table.List(Here, prefix: "é")));
        Assert.Equal(["\U0001F600/1"], Keys(table.List(Here, prefix: "\U0001F600")));
        Assert.Empty(table.List(Here, prefix: "c"));
    }

    [Theory, InlineData(false), InlineData(true)]
    public void Range_reads_between_bounds_in_either_direction(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var table = store.Table("dynamodb", "items");
        foreach (var key in (string[])["a", "b", "c", "d", "e"])
            table.Put(Here, key, B(key));

        Assert.Equal(["b", "c", "d"], Keys(table.Range(Here, new KeyRange("b", true, "d", true))));
        Assert.Equal(["c"], Keys(table.Range(Here, new KeyRange("b", false, "d", false))));
        Assert.Equal(["d", "c", "b"], Keys(table.Range(Here, new KeyRange("b", true, "d", true, Descending: true))));
        Assert.Equal(["e", "d"], Keys(table.Range(Here, new KeyRange(null, false, null, false, Descending: true), limit: 2)));
        Assert.Equal(["a", "b"], Keys(table.Range(Here, new KeyRange(null, false, "c", false))));
        Assert.Equal(["d", "e"], Keys(table.Range(Here, new KeyRange("c", false, null, false))));
    }

    [Theory, InlineData(false), InlineData(true)]
    public void List_paginates_with_startAfter_and_limit_until_every_key_is_seen_once(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var table = store.Table("dynamodb", "items");
        var keys = Enumerable.Range(0, 25).Select(i => $"k/{i:D3}").ToArray();
        foreach (var key in keys.Reverse()) table.Put(Here, key, B(key));

        var seen = new List<string>();
        string? after = null;
        while (true)
        {
            var page = table.List(Here, prefix: "k/", startAfter: after, limit: 7);
            if (page.Count == 0) break;
            Assert.True(page.Count <= 7);
            seen.AddRange(Keys(page));
            after = page[^1].Key;
        }
        Assert.Equal(keys, seen);
    }

    [Theory, InlineData(false), InlineData(true)]
    public void List_startAfter_before_or_after_the_prefix_range_is_honoured(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var table = store.Table("s3", "objects");
        foreach (var key in (string[])["a/1", "a/2", "a/3", "b/1"])
            table.Put(Here, key, B(key));

        Assert.Equal(["a/1", "a/2", "a/3"], Keys(table.List(Here, prefix: "a/", startAfter: "0")));
        Assert.Equal(["a/3"], Keys(table.List(Here, prefix: "a/", startAfter: "a/2")));
        Assert.Empty(table.List(Here, prefix: "a/", startAfter: "a/3"));
        Assert.Empty(table.List(Here, prefix: "a/", startAfter: "z"));
        Assert.Equal(["a/2", "a/3", "b/1"], Keys(table.List(Here, startAfter: "a/1")));
        Assert.Empty(table.List(Here, limit: 0));
    }

    [Theory, InlineData(false), InlineData(true)]
    public void Scopes_are_isolated_by_account_region_service_and_table(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var queues = store.Table("sqs", "queues");
        Scope east = new("111111111111", "us-east-1"), west = new("111111111111", "us-west-2"), other = new("222222222222", "us-east-1");
        queues.Put(east, "q", B("east"));
        queues.Put(west, "q", B("west"));
        queues.Put(other, "q", B("other"));
        store.Table("sqs", "messages").Put(east, "q", B("message"));
        store.Table("sns", "queues").Put(east, "q", B("sns"));

        Assert.Equal("east", S(queues.Get(east, "q")));
        Assert.Equal("west", S(queues.Get(west, "q")));
        Assert.Equal("other", S(queues.Get(other, "q")));
        Assert.Null(queues.Get(Scope.Global("111111111111"), "q"));
        Assert.Equal(["q"], Keys(queues.List(west)));
        Assert.True(queues.Delete(west, "q"));
        Assert.Equal("east", S(queues.Get(east, "q")));
        Assert.Equal(1, queues.Count(other));
        Assert.Equal([east, other], queues.Scopes());
        Assert.Equal([east], store.Table("sqs", "messages").Scopes());
    }

    [Theory, InlineData(false), InlineData(true)]
    public void Scopes_lists_global_and_regional_scopes_in_order(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var users = store.Table("iam", "users");
        var scopes = new[] { new Scope("2", "eu-west-1"), Scope.Global("1"), new Scope("1", "us-east-1"), Scope.Global("2") };
        foreach (var scope in scopes)
            for (var i = 0; i < 3; i++) users.Put(scope, $"u{i}", B("x"));

        Assert.Equal([Scope.Global("1"), new Scope("1", "us-east-1"), Scope.Global("2"), new Scope("2", "eu-west-1")], users.Scopes());
        Assert.Empty(store.Table("iam", "roles").Scopes());
    }

    [Theory, InlineData(false), InlineData(true)]
    public void A_scope_without_an_account_is_refused(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var table = store.Table("sqs", "queues");
        Assert.Throws<ArgumentException>(() => table.Put(default, "q", B("x")));
        Assert.Throws<ArgumentException>(() => table.Get(new Scope("", "us-east-1"), "q"));
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task Reset_of_one_service_deletes_its_rows_and_blobs_and_keeps_the_others(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        store.Table("s3", "objects").Put(Here, "k", B("x"));
        store.Table("sqs", "queues").Put(Here, "q", B("y"));
        await store.Blobs.WriteAsync("s3", "k", new MemoryStream(B("body")));
        await store.Blobs.WriteAsync("lambda", "code", new MemoryStream(B("zip")));
        store.SetMeta("clock.offset", "42");

        store.Reset("s3");
        Assert.Null(store.Table("s3", "objects").Get(Here, "k"));
        Assert.Null(store.Blobs.OpenRead("s3", "k"));
        Assert.NotNull(store.Table("sqs", "queues").Get(Here, "q"));
        using (var code = store.Blobs.OpenRead("lambda", "code")) Assert.NotNull(code);

        store.Reset();
        Assert.Null(store.Table("sqs", "queues").Get(Here, "q"));
        Assert.Null(store.Blobs.OpenRead("lambda", "code"));
        Assert.Equal("42", store.GetMeta("clock.offset"));
    }

    [Theory, InlineData(false), InlineData(true)]
    public void Concurrent_writers_and_readers_see_every_acknowledged_write(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var table = store.Table("sqs", "messages");
        Parallel.For(0, 8, t =>
        {
            var scope = new Scope("111111111111", $"r{t}");
            for (var i = 0; i < 200; i++)
            {
                table.Put(scope, $"m{i:D3}", B($"{t}:{i}"));
                Assert.Equal($"{t}:{i}", S(table.Get(scope, $"m{i:D3}")));
            }
            Assert.Equal(200, table.List(scope).Count);
        });
        Assert.Equal(8, table.Scopes().Count);
    }

    [Fact]
    public void Meta_values_are_kept_and_the_schema_version_cannot_be_overwritten()
    {
        using var store = _dir.Open();
        Assert.Null(store.GetMeta("clock.offset"));
        store.SetMeta("clock.offset", "1");
        store.SetMeta("clock.offset", "2");
        Assert.Equal("2", store.GetMeta("clock.offset"));
        Assert.Equal(SqliteStateStore.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), store.GetMeta("schema_version"));
        Assert.Throws<ArgumentException>(() => store.SetMeta("schema_version", "0"));
    }
}
