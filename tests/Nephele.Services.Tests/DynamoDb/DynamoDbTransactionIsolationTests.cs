using Amazon.DynamoDBv2.Model;

namespace Nephele.Services.Tests.DynamoDb;

/// <summary>
/// Transactions run one at a time inside the state store's writer transaction, so they never see each other
/// half-done (and never conflict): money moved between accounts by concurrent TransactWriteItems and
/// ExecuteTransaction calls is never created or lost, and concurrent transactional reads always see a consistent total.
/// </summary>
public sealed class DynamoDbTransactionIsolationTests(NepheleFixture nephele) : DynamoDbTestBase(nephele), IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task Concurrent_transfers_keep_the_total_and_readers_never_see_half_a_transfer()
    {
        var table = await NewTable();
        const int Accounts = 4;
        for (var i = 0; i < Accounts; i++) await Ddb().PutItemAsync(table, Item(("pk", S($"acct{i}")), ("balance", N("100"))));
        var keys = Enumerable.Range(0, Accounts).Select(i => Item(("pk", S($"acct{i}")))).ToList();

        var moved = 0;
        async Task Transfer(int n)
        {
            var from = $"acct{n % Accounts}";
            var to = $"acct{(n + 1 + n / Accounts) % Accounts}";
            if (from == to) to = $"acct{(n + 1) % Accounts}";
            try
            {
                if (n % 2 == 0)
                    await Ddb().TransactWriteItemsAsync(new TransactWriteItemsRequest
                    {
                        TransactItems =
                        [
                            new() { Update = new Update { TableName = table, Key = Item(("pk", S(from))), UpdateExpression = "SET balance = balance - :a", ConditionExpression = "balance >= :a", ExpressionAttributeValues = new() { [":a"] = N("7") } } },
                            new() { Update = new Update { TableName = table, Key = Item(("pk", S(to))), UpdateExpression = "SET balance = balance + :a", ExpressionAttributeValues = new() { [":a"] = N("7") } } },
                        ],
                    });
                else
                    await Ddb().ExecuteTransactionAsync(new ExecuteTransactionRequest
                    {
                        TransactStatements =
                        [
                            new() { Statement = $"UPDATE \"{table}\" SET balance = balance - 7 WHERE pk = ? AND balance >= 7", Parameters = [S(from)] },
                            new() { Statement = $"UPDATE \"{table}\" SET balance = balance + 7 WHERE pk = ?", Parameters = [S(to)] },
                        ],
                    });
                Interlocked.Increment(ref moved);
            }
            catch (TransactionCanceledException)
            {
                // An empty account refuses the transfer; nothing moved.
            }
        }

        async Task<decimal> Total()
        {
            var got = await Ddb().TransactGetItemsAsync(new TransactGetItemsRequest
            {
                TransactItems = keys.Select(k => new TransactGetItem { Get = new Get { TableName = table, Key = k } }).ToList(),
            });
            return got.Responses.Sum(r => decimal.Parse(r.Item["balance"].N));
        }

        var transfers = Enumerable.Range(0, 60).Select(Transfer);
        var readers = Enumerable.Range(0, 30).Select(_ => Total());
        var totals = await Task.WhenAll(readers.Concat(transfers.Select(async t =>
        {
            await t;
            return 400m;
        })));
        Assert.All(totals, t => Assert.Equal(400m, t));
        Assert.Equal(400m, await Total());
        var balances = await Task.WhenAll(keys.Select(async k => decimal.Parse((await Ddb().GetItemAsync(table, k)).Item["balance"].N)));
        Assert.All(balances, b => Assert.True(b >= 0));
        Assert.True(moved > 0);
    }
}
