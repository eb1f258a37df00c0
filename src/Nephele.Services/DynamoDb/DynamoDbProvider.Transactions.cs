using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.DynamoDb.Expressions;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb;

using Item = Dictionary<string, AttributeValue>;

/// <summary>
/// TransactWriteItems and TransactGetItems: every action runs inside one state-store transaction (which holds
/// the writer lock), so the whole set is atomic and isolated from other writes.
/// </summary>
public sealed partial class DynamoDbProvider
{
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(10);

    private sealed record TransactAction(string Kind, TableRecord Table, string RowKey, Item Key, Item? Item,
        RequestExpressions Expressions, Dictionary<string, object?> Spec);

    private Dictionary<string, object?> TransactWriteItems(RequestContext ctx, Dictionary<string, object?> input)
    {
        var raw = input.GetList("TransactItems") ?? [];
        if (raw.Count is 0 or > 100)
            throw AwsException.Validation($"1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length {(raw.Count == 0 ? "greater than or equal to 1" : "less than or equal to 100")}");
        var actions = new List<TransactAction>();
        foreach (var o in raw)
        {
            var entry = (Dictionary<string, object?>)o!;
            if (entry.Count != 1) throw AwsException.Validation("TransactItems can only contain one of Check, Put, Update or Delete");
            var (kind, value) = entry.First();
            var spec = (Dictionary<string, object?>)value!;
            var table = DataTable(ctx.Scope, spec.GetString("TableName"));
            RequestExpressions expressions;
            Item key;
            Item? item = null;
            string rowKey;
            if (kind == "Put")
            {
                item = AttributeValueWire.ReadItem(spec.GetStruct("Item"));
                rowKey = ValidateItem(table, item);
                key = ItemKeys.KeyOf(table, item);
                expressions = RequestExpressions.Parse(spec, "ConditionExpression is null");
            }
            else
            {
                key = AttributeValueWire.ReadItem(spec.GetStruct("Key"));
                rowKey = ItemKeys.RowKeyOfKey(table, key);
                expressions = RequestExpressions.Parse(spec, kind == "Update" ? "UpdateExpression and ConditionExpression are null" : "ConditionExpression is null");
                if (kind == "ConditionCheck" && expressions.Condition is null)
                    throw AwsException.Validation("1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null");
                if (kind == "Update") EnsureKeyNotUpdated(table, expressions.Update!);
            }
            actions.Add(new TransactAction(kind, table, rowKey, key, item, expressions, spec));
        }
        RejectRepeatedItems(actions.Select(a => (a.Table, a.RowKey)));
        var metrics = WantsItemCollectionMetrics(input);
        var token = input.GetString("ClientRequestToken");
        var hash = token is null ? null : RequestHash.Of(input.GetList("TransactItems"));
        var capacities = new Dictionary<string, Capacity>();
        _store.Transaction(() =>
        {
            if (token is not null && Replayed(ctx, token, hash!)) return 0;
            var reasons = new List<object?>();
            var results = new List<(TransactAction Action, Item? Old, Item? New)>();
            var failed = false;
            foreach (var action in actions)
            {
                var old = _store.GetItem(ctx.Scope, action.Table, action.RowKey);
                var reason = new Dictionary<string, object?> { ["Code"] = "None" };
                if (action.Expressions.Condition is { } condition && !ConditionEvaluator.Evaluate(condition, old))
                {
                    failed = true;
                    reason["Code"] = "ConditionalCheckFailed";
                    reason["Message"] = "The conditional request failed";
                    if (action.Spec.GetString("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" && old is not null)
                        reason["Item"] = AttributeValueWire.WriteItem(old);
                }
                else
                {
                    try
                    {
                        var item = action.Kind switch
                        {
                            "Put" => action.Item,
                            "Update" => ApplyUpdate(action.Table, action.Key, old, action.Expressions.Update!),
                            "Delete" => null,
                            _ => old,
                        };
                        results.Add((action, old, item));
                    }
                    catch (AwsException e) when (e.Code == "ValidationException")
                    {
                        failed = true;
                        reason["Code"] = "ValidationError";
                        reason["Message"] = e.Message;
                    }
                }
                reasons.Add(reason);
            }
            CommitTransaction(ctx, reasons, failed, results.Select(r => (r.Action.Table, r.Action.RowKey, r.Old, r.New, r.Action.Kind == "ConditionCheck")),
                capacities, token, hash);
            return 0;
        });
        var output = TransactionOutput(input, capacities);
        if (metrics && ItemCollectionMetrics(ctx, actions.Where(a => a.Kind != "ConditionCheck").Select(a => (a.Table, (IReadOnlyDictionary<string, AttributeValue>)a.Key))) is { } collections)
            output["ItemCollectionMetrics"] = collections;
        return output;
    }

    /// <summary>
    /// The end of a write transaction, inside the store transaction (TransactWriteItems and PartiQL's ExecuteTransaction):
    /// cancels with the per-item reasons when any item failed, else writes every item (condition checks only read),
    /// charging two units per KB as transactional writes cost, and remembers the client request token.
    /// </summary>
    private void CommitTransaction(RequestContext ctx, List<object?> reasons, bool failed,
        IEnumerable<(TableRecord Table, string RowKey, Item? Old, Item? New, bool CheckOnly)> writes,
        Dictionary<string, Capacity> capacities, string? token, string? hash)
    {
        if (failed)
        {
            var codes = string.Join(", ", reasons.Select(r => (string)((Dictionary<string, object?>)r!)["Code"]!));
            throw new AwsException("TransactionCanceledException",
                $"Transaction cancelled, please refer cancellation reasons for specific reasons [{codes}]",
                fields: new() { ["CancellationReasons"] = reasons });
        }
        foreach (var (table, rowKey, old, item, checkOnly) in writes)
        {
            if (!capacities.TryGetValue(table.TableName, out var capacity)) capacities[table.TableName] = capacity = new Capacity(table.TableName);
            if (checkOnly)
            {
                capacity.AddTable(Capacity.ReadUnits(old is null ? 0 : ItemSize.Of(old), true) * 2);
                continue;
            }
            _store.WriteItem(ctx.Scope, table, rowKey, old, item);
            capacity.AddWrite(table, old, item);
            capacity.AddWrite(table, old, item);
        }
        if (token is not null)
            env.State.Table("dynamodb", "tokens").Put(ctx.Scope, token, new TransactionToken(hash!, ctx.Now), DynamoDbTokenJsonContext.Default.TransactionToken);
    }

    private static Dictionary<string, object?> TransactionOutput(Dictionary<string, object?> input, Dictionary<string, Capacity> capacities)
    {
        var output = new Dictionary<string, object?>();
        var consumed = capacities.Values.Select(c => (object?)c.Report(input.GetString("ReturnConsumedCapacity"))).Where(r => r is not null).ToList();
        if (consumed.Count > 0) output["ConsumedCapacity"] = consumed;
        return output;
    }

    /// <summary>True when this token already committed the same request within ten minutes; a different request with it is an error.</summary>
    private bool Replayed(RequestContext ctx, string token, string hash)
    {
        var tokens = env.State.Table("dynamodb", "tokens");
        if (tokens.Get(ctx.Scope, token, DynamoDbTokenJsonContext.Default.TransactionToken) is not { } seen || ctx.Now - seen.At > TokenLifetime)
            return false;
        if (seen.RequestHash != hash)
            throw new AwsException("IdempotentParameterMismatchException", "The request uses the same client token as a previous, but non-identical request.");
        return true;
    }

    private Dictionary<string, object?> TransactGetItems(RequestContext ctx, Dictionary<string, object?> input)
    {
        var raw = input.GetList("TransactItems") ?? [];
        if (raw.Count is 0 or > 100)
            throw AwsException.Validation($"1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length {(raw.Count == 0 ? "greater than or equal to 1" : "less than or equal to 100")}");
        var gets = new List<(TableRecord Table, string RowKey, List<DocumentPath>? Projection)>();
        foreach (var o in raw)
        {
            var spec = ((Dictionary<string, object?>)o!).GetStruct("Get") ?? throw AwsException.Validation("TransactItems can only contain Get");
            var table = DataTable(ctx.Scope, spec.GetString("TableName"));
            var rowKey = ItemKeys.RowKeyOfKey(table, AttributeValueWire.ReadItem(spec.GetStruct("Key")));
            gets.Add((table, rowKey, RequestExpressions.Parse(spec, "ProjectionExpression is null").Projection));
        }
        return ReadTransaction(ctx, input, gets.Select(g => (g.Table, g.RowKey,
            (Func<Item, Item?>)(item => g.Projection is null ? item : Documents.Project(item, g.Projection)))).ToList());
    }

    /// <summary>
    /// The read side of a transaction (TransactGetItems and PartiQL's read-only ExecuteTransaction): every item read in
    /// one store transaction at two units per KB, each answered as <c>shape</c> makes it (null: no Item in the response).
    /// </summary>
    private Dictionary<string, object?> ReadTransaction(RequestContext ctx, Dictionary<string, object?> input,
        List<(TableRecord Table, string RowKey, Func<Item, Item?> Shape)> gets)
    {
        RejectRepeatedItems(gets.Select(g => (g.Table, g.RowKey)));
        var capacities = new Dictionary<string, Capacity>();
        var responses = _store.Transaction(() => gets.Select(g =>
        {
            var item = _store.GetItem(ctx.Scope, g.Table, g.RowKey);
            if (!capacities.TryGetValue(g.Table.TableName, out var capacity)) capacities[g.Table.TableName] = capacity = new Capacity(g.Table.TableName) { Read = true };
            capacity.AddTable(Capacity.ReadUnits(item is null ? 0 : ItemSize.Of(item), true) * 2);
            var response = new Dictionary<string, object?>();
            if (item is not null && g.Shape(item) is { } shaped) response["Item"] = AttributeValueWire.WriteItem(shaped);
            return (object?)response;
        }).ToList());
        var output = TransactionOutput(input, capacities);
        output["Responses"] = responses;
        return output;
    }

    private static void RejectRepeatedItems(IEnumerable<(TableRecord Table, string RowKey)> items)
    {
        if (items.GroupBy(i => (i.Table.TableId, i.RowKey)).Any(g => g.Count() > 1))
            throw AwsException.Validation("Transaction request cannot include multiple operations on one item");
    }
}
