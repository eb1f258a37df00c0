using System.Text;
using Nephele.Core.State;

namespace Nephele.Core.Tests.State;

public sealed class GroupCommitTests : IDisposable
{
    private static readonly Scope Here = new("111111111111", "us-east-1");
    private readonly TempDataDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Theory, InlineData(false), InlineData(true)]
    public async Task Concurrent_queued_transactions_all_commit_and_a_failing_one_is_undone_alone(bool ephemeral)
    {
        using var store = _dir.Open(ephemeral);
        var table = store.Table("dynamodb", "items");
        var works = Enumerable.Range(0, 200).Select(i => Task.Run(() => store.TransactionAsync(() =>
        {
            table.Put(Here, $"k{i:D3}", B($"v{i}"));
            // A read-modify-write inside the work is isolated from the other works of its group.
            var count = table.Get(Here, "count") is { } c ? int.Parse(Encoding.UTF8.GetString(c)) : 0;
            table.Put(Here, "count", B((count + 1).ToString()));
            if (i % 10 == 3) throw new InvalidOperationException($"work {i} fails");
            return i;
        }))).ToList();

        for (var i = 0; i < works.Count; i++)
        {
            if (i % 10 == 3) Assert.Equal($"work {i} fails", (await Assert.ThrowsAsync<InvalidOperationException>(() => works[i])).Message);
            else Assert.Equal(i, await works[i]);
        }
        Assert.Equal(180, table.List(Here, prefix: "k").Count);
        Assert.Null(table.Get(Here, "k003"));
        Assert.Equal("180", Encoding.UTF8.GetString(table.Get(Here, "count")!));
    }

    [Fact]
    public async Task A_queued_transaction_is_durable_when_its_task_completes()
    {
        using (var store = _dir.Open(ephemeral: false))
            await store.TransactionAsync(() =>
            {
                store.Table("dynamodb", "items").Put(Here, "k", B("v"));
                return 0;
            });
        using var reopened = _dir.Open(ephemeral: false);
        Assert.Equal("v", Encoding.UTF8.GetString(reopened.Table("dynamodb", "items").Get(Here, "k")!));
    }
}
