using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.DynamoDb.Expressions;
using Nephele.Services.DynamoDb.Model;
using Nephele.Services.DynamoDb.PartiQl;

namespace Nephele.Services.DynamoDb;

using Item = Dictionary<string, AttributeValue>;

/// <summary>
/// BatchExecuteStatement (up to 25 single-item statements, each succeeding or failing on its own) and
/// ExecuteTransaction (up to 100, all reads or all writes, atomic: one state-store transaction, like TransactWriteItems).
/// </summary>
public sealed partial class DynamoDbProvider
{
    private const string BatchSelectNeedsKey = "Select statements within BatchExecuteStatement must specify the primary key in the where clause.";

    private Dictionary<string, object?> BatchExecuteStatement(RequestContext ctx, Dictionary<string, object?> input)
    {
        var raw = input.GetList("Statements") ?? [];
        if (raw.Count is 0 or > 25)
            throw AwsException.Validation($"1 validation error detected: Value at 'statements' failed to satisfy constraint: Member must have length {(raw.Count == 0 ? "greater than or equal to 1" : "less than or equal to 25")}");
        var capacities = new Dictionary<string, Capacity>();
        var responses = new List<object?>();
        bool? reads = null;
        foreach (var o in raw)
        {
            var spec = (Dictionary<string, object?>)o!;
            var response = new Dictionary<string, object?>();
            try
            {
                var statement = ParsePartiQl(spec);
                if (statement is PqExists) throw AwsException.Validation("EXISTS can only be used in ExecuteTransaction write requests.");
                var isRead = statement is PqSelect;
                if (reads is { } r && r != isRead)
                    throw AwsException.Validation("Batch must contain either all read statements or all write statements");
                reads = isRead;
                var table = PartiQlTable(ctx, statement);
                if (!capacities.TryGetValue(table.TableName, out var capacity))
                    capacities[table.TableName] = capacity = new Capacity(table.TableName) { Read = isRead };
                if (statement is PqSelect select)
                {
                    if (select.IndexName is not null) throw AwsException.Validation(BatchSelectNeedsKey);
                    Item key;
                    try
                    {
                        key = PartiQlKeys.KeyOf(table, select.Where);
                    }
                    catch (AwsException)
                    {
                        throw AwsException.Validation(BatchSelectNeedsKey);
                    }
                    var rowKey = ItemKeys.RowKeyOfKey(table, key);
                    var item = _store.GetItem(ctx.Scope, table, rowKey);
                    capacity.AddTable(Capacity.ReadUnits(item is null ? 0 : ItemSize.Of(item), spec.GetBool("ConsistentRead") ?? false));
                    response["TableName"] = table.TableName;
                    if (SelectOne(item, select) is { } found) response["Item"] = AttributeValueWire.WriteItem(found);
                }
                else
                {
                    var write = PlanWrite(table, statement);
                    response["TableName"] = table.TableName;
                    // ReturnValuesOnConditionCheckFailure has no effect on a batch member, as in DynamoDB.
                    var (old, item) = _store.Transaction(() => ApplyWrite(ctx, write, [], capacity));
                    if (ReturnedItems(write, old, item) is [var returned]) response["Item"] = returned;
                }
            }
            catch (AwsException e)
            {
                response["Error"] = new Dictionary<string, object?> { ["Code"] = StatementErrorCode(e.Code), ["Message"] = e.Message };
            }
            responses.Add(response);
        }
        var output = new Dictionary<string, object?> { ["Responses"] = responses };
        var consumed = capacities.Values.Select(c => (object?)c.Report(input.GetString("ReturnConsumedCapacity"))).Where(c => c is not null).ToList();
        if (consumed.Count > 0) output["ConsumedCapacity"] = consumed;
        return output;
    }

    /// <summary>A batch or transaction read: the item if it matches the whole WHERE, projected.</summary>
    private static Item? SelectOne(Item? item, PqSelect select)
    {
        if (item is null || (select.Where is { } where && !ConditionEvaluator.Evaluate(where, item))) return null;
        return select.Projection is null ? item : ProjectLeaves(item, select.Projection);
    }

    /// <summary>BatchStatementError and CancellationReason codes: the exception's name without "Exception".</summary>
    private static string StatementErrorCode(string code) => code switch
    {
        "ValidationException" => "ValidationError",
        _ when code.EndsWith("Exception", StringComparison.Ordinal) => code[..^"Exception".Length],
        _ => code,
    };

    private Dictionary<string, object?> ExecuteTransaction(RequestContext ctx, Dictionary<string, object?> input)
    {
        var raw = input.GetList("TransactStatements") ?? [];
        if (raw.Count is 0 or > 100)
            throw AwsException.Validation($"1 validation error detected: Value at 'transactStatements' failed to satisfy constraint: Member must have length {(raw.Count == 0 ? "greater than or equal to 1" : "less than or equal to 100")}");
        var statements = new List<(PqStatement Statement, TableRecord Table, Dictionary<string, object?> Spec)>();
        for (var i = 0; i < raw.Count; i++)
        {
            var spec = (Dictionary<string, object?>)raw[i]!;
            try
            {
                var statement = ParsePartiQl(spec);
                if (statement is PqUpdate { Returning: not null } or PqDelete { Returning: not null })
                    throw AwsException.Validation("RETURNING clause is not supported in ExecuteTransaction.");
                if (statement is PqSelect { IndexName: not null }) throw AwsException.Validation("Reads on indices are not supported within transactions.");
                statements.Add((statement, PartiQlTable(ctx, statement), spec));
            }
            catch (AwsException e) when (e.Code == "ValidationException")
            {
                throw AwsException.Validation($"Validation failed in TransactStatements[{i}]: {e.Message}");
            }
        }
        var readCount = statements.Count(s => s.Statement is PqSelect);
        if (readCount > 0 && readCount < statements.Count)
            throw AwsException.Validation("Transaction must contain either all read statements or all write statements");
        return readCount > 0 ? TransactionReads(ctx, input, statements) : TransactionWrites(ctx, input, statements);
    }

    private Dictionary<string, object?> TransactionReads(RequestContext ctx, Dictionary<string, object?> input,
        List<(PqStatement Statement, TableRecord Table, Dictionary<string, object?> Spec)> statements)
    {
        var gets = new List<(PqSelect Select, TableRecord Table, string RowKey)>();
        for (var i = 0; i < statements.Count; i++)
        {
            var (statement, table, _) = statements[i];
            var select = (PqSelect)statement;
            Item key;
            try
            {
                key = PartiQlKeys.KeyOf(table, select.Where);
            }
            catch (AwsException)
            {
                throw AwsException.Validation($"Validation failed in TransactStatements[{i}]: Select statements within ExecuteTransaction must specify the primary key in the where clause.");
            }
            gets.Add((select, table, ItemKeys.RowKeyOfKey(table, key)));
        }
        return ReadTransaction(ctx, input, gets.Select(g => (g.Table, g.RowKey, (Func<Item, Item?>)(item => SelectOne(item, g.Select)))).ToList());
    }

    private Dictionary<string, object?> TransactionWrites(RequestContext ctx, Dictionary<string, object?> input,
        List<(PqStatement Statement, TableRecord Table, Dictionary<string, object?> Spec)> statements)
    {
        var writes = new List<(PartiQlWrite Write, Dictionary<string, object?> Spec)>();
        for (var i = 0; i < statements.Count; i++)
        {
            try
            {
                writes.Add((PlanWrite(statements[i].Table, statements[i].Statement), statements[i].Spec));
            }
            catch (AwsException e) when (e.Code == "ValidationException")
            {
                throw AwsException.Validation($"Validation failed in TransactStatements[{i}]: {e.Message}");
            }
        }
        RejectRepeatedItems(writes.Select(w => (w.Write.Table, w.Write.RowKey)));
        var token = input.GetString("ClientRequestToken");
        var hash = token is null ? null : RequestHash.Of(input.GetList("TransactStatements"));
        var capacities = new Dictionary<string, Capacity>();
        _store.Transaction(() =>
        {
            if (token is not null && Replayed(ctx, token, hash!)) return 0;
            var reasons = new List<object?>();
            var outcomes = new List<(PartiQlWrite Write, Item? Old, Item? New)>();
            foreach (var (write, spec) in writes)
            {
                var old = _store.GetItem(ctx.Scope, write.Table, write.RowKey);
                var reason = new Dictionary<string, object?> { ["Code"] = "None" };
                try
                {
                    outcomes.Add((write, old, WriteOutcome(write, old, spec)));
                }
                catch (AwsException e)
                {
                    reason["Code"] = StatementErrorCode(e.Code);
                    reason["Message"] = e.Message;
                    if (e.Fields.TryGetValue("Item", out var item)) reason["Item"] = item;
                }
                reasons.Add(reason);
            }
            CommitTransaction(ctx, reasons, outcomes.Count < writes.Count,
                outcomes.Select(o => (o.Write.Table, o.Write.RowKey, o.Old, o.New, o.Write.Statement is PqExists)), capacities, token, hash);
            return 0;
        });
        return TransactionOutput(input, capacities);
    }
}
