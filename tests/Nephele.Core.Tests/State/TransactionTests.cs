using System.Text;
using Nephele.Core.State;

namespace Nephele.Core.Tests.State;

public sealed class TransactionTests : IDisposable
{
    private static readonly Scope Here = new("111111111111", "us-east-1");
    private readonly TempDataDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Theory, InlineData(false), InlineData(true)]
    public void Writes_inside_a_transaction_commit_together_and_it_returns_the_result(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var queues = store.Table("sqs", "queues");
        var messages = store.Table("sqs", "messages");
        var result = store.Transaction(() =>
        {
            queues.Put(Here, "q", B("queue"));
            messages.Put(Here, "q/1", B("m1"));
            return 7;
        });
        Assert.Equal(7, result);
        Assert.NotNull(queues.Get(Here, "q"));
        Assert.NotNull(messages.Get(Here, "q/1"));
    }

    [Theory, InlineData(false), InlineData(true)]
    public void An_exception_rolls_back_every_write_of_the_transaction(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var table = store.Table("dynamodb", "items");
        table.Put(Here, "existing", B("before"));

        var error = Assert.Throws<InvalidOperationException>(() => store.Transaction<int>(() =>
        {
            table.Put(Here, "new", B("x"));
            table.Put(Here, "existing", B("after"));
            Assert.True(table.Delete(Here, "existing"));
            Assert.True(table.TryAdd(Here, "added", B("y")));
            store.SetMeta("m", "v");
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal("boom", error.Message);
        Assert.Null(table.Get(Here, "new"));
        Assert.Null(table.Get(Here, "added"));
        Assert.Equal("before", Encoding.UTF8.GetString(table.Get(Here, "existing")!));
        Assert.Null(store.GetMeta("m"));
        Assert.Equal(1, table.Count(Here));

        // The store is usable afterwards.
        table.Put(Here, "later", B("z"));
        Assert.Equal(2, table.Count(Here));
    }

    [Theory, InlineData(false), InlineData(true)]
    public void Reads_inside_a_transaction_see_its_own_uncommitted_writes(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var table = store.Table("sqs", "queues");
        store.Transaction(() =>
        {
            table.Put(Here, "q", B("x"));
            Assert.NotNull(table.Get(Here, "q"));
            Assert.Single(table.List(Here));
            Assert.Equal(1, table.Count(Here));
            return 0;
        });
    }

    [Fact]
    public void Other_threads_do_not_see_uncommitted_writes()
    {
        using var store = _dir.Open();
        var table = store.Table("sqs", "queues");
        store.Transaction(() =>
        {
            table.Put(Here, "q", B("x"));
            Assert.Null(OnAnotherThread(() => table.Get(Here, "q")));
            return 0;
        });
        Assert.NotNull(OnAnotherThread(() => table.Get(Here, "q")));
    }

    private static T OnAnotherThread<T>(Func<T> read)
    {
        T result = default!;
        var thread = new Thread(() => result = read());
        thread.Start();
        thread.Join();
        return result;
    }

    [Theory, InlineData(false), InlineData(true)]
    public void A_nested_transaction_joins_the_outer_one_and_rolls_back_with_it(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var table = store.Table("sqs", "queues");
        Assert.Throws<InvalidOperationException>(() => store.Transaction<int>(() =>
        {
            table.Put(Here, "outer", B("x"));
            store.Transaction(() =>
            {
                table.Put(Here, "inner", B("y"));
                return 0;
            });
            throw new InvalidOperationException("outer fails after inner committed");
        }));
        Assert.Null(table.Get(Here, "outer"));
        Assert.Null(table.Get(Here, "inner"));
    }

    [Theory, InlineData(false), InlineData(true)]
    public void A_failed_nested_transaction_undoes_only_its_own_writes(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var table = store.Table("sqs", "queues");
        store.Transaction(() =>
        {
            table.Put(Here, "outer", B("x"));
            Assert.Throws<InvalidOperationException>(() => store.Transaction<int>(() =>
            {
                table.Put(Here, "inner", B("y"));
                throw new InvalidOperationException("inner fails");
            }));
            return 0;
        });
        Assert.NotNull(table.Get(Here, "outer"));
        Assert.Null(table.Get(Here, "inner"));
    }

    [Fact]
    public void Concurrent_read_modify_write_transactions_lose_no_update()
    {
        using var store = _dir.Open();
        var table = store.Table("dynamodb", "counters");
        table.Put(Here, "n", BitConverter.GetBytes(0));
        Parallel.For(0, 400, _ => store.Transaction(() =>
        {
            var n = BitConverter.ToInt32(table.Get(Here, "n"));
            table.Put(Here, "n", BitConverter.GetBytes(n + 1));
            return 0;
        }));
        Assert.Equal(400, BitConverter.ToInt32(table.Get(Here, "n")));
    }
}
