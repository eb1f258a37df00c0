using System.Text;
using Nephele.Core.State;

namespace Nephele.Core.Tests.State;

public sealed class TableCacheTests : IDisposable
{
    private static readonly Scope Here = new("111111111111", "us-east-1");
    private readonly TempDataDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static string? Read(IResourceTable table, string key) => table.Get(Here, key) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    [Theory, InlineData(false), InlineData(true)]
    public void A_cached_value_is_served_until_a_committed_write_moves_the_table_stamp(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var queues = store.Table("sqs", "queues");
        var cache = new TableCache<string, string?>(queues);
        queues.Put(Here, "q", B("v1"));
        var reads = 0;
        string? Load(string key)
        {
            reads++;
            return Read(queues, key);
        }

        Assert.Equal("v1", cache.Get("q", Load));
        Assert.Equal("v1", cache.Get("q", Load));
        Assert.Equal(1, reads);

        queues.Put(Here, "q", B("v2"));
        Assert.Equal("v2", cache.Get("q", Load));
        store.Transaction(() =>
        {
            queues.Put(Here, "q", B("v3"));
            // The writing transaction reads around the cache and sees its own row.
            Assert.Equal("v3", cache.Get("q", Load));
            return 0;
        });
        Assert.Equal("v3", cache.Get("q", Load));
        Assert.Equal(4, reads);
    }

    [Theory, InlineData(false), InlineData(true)]
    public void A_rolled_back_write_and_a_reset_leave_no_stale_value(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var topics = store.Table("sns", "topics");
        var cache = new TableCache<string, string?>(topics);
        topics.Put(Here, "t", B("kept"));
        Assert.Equal("kept", cache.Get("t", k => Read(topics, k)));

        Assert.Throws<InvalidOperationException>(() => store.Transaction<int>(() =>
        {
            topics.Put(Here, "t", B("undone"));
            Assert.Equal("undone", cache.Get("t", k => Read(topics, k)));
            throw new InvalidOperationException("roll back");
        }));
        Assert.Equal("kept", cache.Get("t", k => Read(topics, k)));

        store.Reset("sns");
        Assert.Null(cache.Get("t", k => Read(topics, k)));
    }

    [Fact]
    public void Writes_to_one_table_leave_another_tables_stamp_alone()
    {
        using var store = _dir.Open(ephemeral: true);
        var queues = store.Table("sqs", "queues");
        var messages = store.Table("sqs", "messages");
        var before = queues.ChangeStamp;
        messages.Put(Here, "m", B("x"));
        Assert.Equal(before, queues.ChangeStamp);
        queues.Delete(Here, "absent");
        Assert.NotEqual(before, queues.ChangeStamp);
    }
}
