using System.Text;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.DynamoDb.Expressions;
using Nephele.Services.DynamoDb.Model;
using Nephele.Services.DynamoDb.PartiQl;

namespace Nephele.Services.DynamoDb;

using Item = Dictionary<string, AttributeValue>;

/// <summary>
/// ExecuteStatement: PartiQL statements run as the item operations they stand for. A SELECT is a Query per
/// partition named by = or IN on the partition key (else a Scan) through the same reader as Query/Scan; INSERT is
/// a put that fails on an existing key; UPDATE and DELETE name one item by its full key, the rest of their WHERE
/// being a condition on it.
/// </summary>
public sealed partial class DynamoDbProvider
{
    /// <summary>A write statement resolved against its table: which item it touches.</summary>
    private sealed record PartiQlWrite(PqStatement Statement, TableRecord Table, string RowKey, Item Key);

    private Dictionary<string, object?> ExecuteStatement(RequestContext ctx, Dictionary<string, object?> input)
    {
        var statement = ParsePartiQl(input);
        if (statement is PqExists) throw AwsException.Validation("EXISTS can only be used in ExecuteTransaction write requests.");
        var table = PartiQlTable(ctx, statement);
        var capacity = new Capacity(table.TableName) { Read = statement is PqSelect };
        Dictionary<string, object?> output;
        if (statement is PqSelect select)
        {
            output = SelectPage(ctx, table, select, input, capacity);
        }
        else
        {
            var write = PlanWrite(table, statement);
            var (old, item) = _store.Transaction(() => ApplyWrite(ctx, write, input, capacity));
            output = new() { ["Items"] = ReturnedItems(write, old, item) };
        }
        if (capacity.Report(input.GetString("ReturnConsumedCapacity")) is { } report) output["ConsumedCapacity"] = report;
        return output;
    }

    private static PqStatement ParsePartiQl(Dictionary<string, object?> input)
    {
        var text = input.GetString("Statement") ?? throw AwsException.Validation("1 validation error detected: Value null at 'statement' failed to satisfy constraint: Member must not be null");
        if (text.Length is 0 or > 8192)
            throw AwsException.Validation($"1 validation error detected: Value at 'statement' failed to satisfy constraint: Member must have length {(text.Length == 0 ? "greater than or equal to 1" : "less than or equal to 8192")}");
        var raw = input.GetList("Parameters");
        if (raw is { Count: 0 })
            throw AwsException.Validation("1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1");
        var parameters = (raw ?? []).Select(AttributeValueWire.Read).ToList();
        return PartiQlParser.Parse(text, parameters);
    }

    private TableRecord PartiQlTable(RequestContext ctx, PqStatement statement)
    {
        try
        {
            TableDefinitions.ValidateTableName(statement.TableName);
        }
        catch (AwsException)
        {
            throw AwsException.Validation("Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'.");
        }
        return _store.Find(ctx.Scope, statement.TableName) ?? throw NotFound();
    }

    /// <summary>The item a write names, validated: INSERT's whole item, UPDATE's and DELETE's full key from the WHERE.</summary>
    private static PartiQlWrite PlanWrite(TableRecord table, PqStatement statement)
    {
        switch (statement)
        {
            case PqInsert insert:
                {
                    var rowKey = ValidateItem(table, insert.Item);
                    return new PartiQlWrite(statement, table, rowKey, ItemKeys.KeyOf(table, insert.Item));
                }
            case PqUpdate update:
                {
                    var key = PartiQlKeys.KeyOf(table, update.Where);
                    EnsureKeyNotUpdated(table, update.Actions);
                    return new PartiQlWrite(statement, table, ItemKeys.RowKeyOfKey(table, key), key);
                }
            case PqDelete delete:
                {
                    var key = PartiQlKeys.KeyOf(table, delete.Where);
                    return new PartiQlWrite(statement, table, ItemKeys.RowKeyOfKey(table, key), key);
                }
            case PqExists exists:
                {
                    if (exists.IndexName is not null) throw AwsException.Validation("Operations on indices are not supported in transactions");
                    Item key;
                    try
                    {
                        key = PartiQlKeys.KeyOf(table, exists.Select.Where);
                    }
                    catch (AwsException)
                    {
                        throw AwsException.Validation("EXISTS() must contain a single item read with additional condition");
                    }
                    return new PartiQlWrite(statement, table, ItemKeys.RowKeyOfKey(table, key), key);
                }
            default:
                throw PartiQlErrors.Unsupported("Select");
        }
    }

    /// <summary>
    /// The item a write leaves (null: none), given the one there now; DynamoDB's errors when the statement cannot
    /// apply. <paramref name="options"/> carries ReturnValuesOnConditionCheckFailure.
    /// </summary>
    private static Item? WriteOutcome(PartiQlWrite write, Item? old, Dictionary<string, object?> options)
    {
        switch (write.Statement)
        {
            case PqInsert insert:
                if (old is not null) throw PartiQlErrors.DuplicateItem();
                return insert.Item;
            case PqUpdate update:
                // UPDATE never creates an item: a missing one fails its condition.
                if (old is null) throw new AwsException("ConditionalCheckFailedException", "The conditional request failed");
                EnsureCondition(update.Where, old, options);
                return ApplyUpdate(write.Table, write.Key, old, update.Actions);
            case PqDelete delete:
                if (old is null) return null;
                EnsureCondition(delete.Where, old, options);
                return null;
            case PqExists exists:
                if (old is null) throw new AwsException("ConditionalCheckFailedException", "The conditional request failed");
                EnsureCondition(exists.Select.Where, old, options);
                return old;
            default:
                return old;
        }
    }

    /// <summary>Runs one write inside the caller's store transaction; returns the item before and after.</summary>
    private (Item? Old, Item? New) ApplyWrite(RequestContext ctx, PartiQlWrite write, Dictionary<string, object?> options, Capacity capacity)
    {
        var old = _store.GetItem(ctx.Scope, write.Table, write.RowKey);
        var item = WriteOutcome(write, old, options);
        _store.WriteItem(ctx.Scope, write.Table, write.RowKey, old, item);
        capacity.AddWrite(write.Table, old, item);
        return (old, item);
    }

    /// <summary>What RETURNING asks for: the whole item or only the attributes the statement modified, old or new.</summary>
    private static List<object?> ReturnedItems(PartiQlWrite write, Item? old, Item? item)
    {
        var returning = write.Statement switch
        {
            PqUpdate u => u.Returning,
            PqDelete d => d.Returning,
            _ => null,
        };
        if (returning is null) return [];
        var paths = write.Statement is PqUpdate update ? update.Actions.Select(a => a.Path).ToList() : [];
        Item? result = returning switch
        {
            "ALL OLD" => old,
            "ALL NEW" => item,
            "MODIFIED OLD" => old is null ? null : Documents.Project(old, paths),
            _ => item is null ? null : Documents.Project(item, paths),
        };
        return result is { Count: > 0 } ? [AttributeValueWire.WriteItem(result)] : [];
    }

    /// <summary>One page of a SELECT, continuing from NextToken: through each key range in turn until Limit items were read.</summary>
    private Dictionary<string, object?> SelectPage(RequestContext ctx, TableRecord table, PqSelect select, Dictionary<string, object?> input, Capacity capacity)
    {
        var (target, fetchFromTable) = SelectTarget(table, select, input.GetBool("ConsistentRead") ?? false);
        var ranges = PartiQlKeys.Ranges(table, target.HashKey, target.RangeKey, select.Where, select.Descending);
        var limit = input.GetInt("Limit");
        if (limit is < 1)
            throw AwsException.Validation($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        var hash = RequestHash.Of(new List<object?> { input.GetString("Statement"), input.GetValueOrDefault("Parameters") });
        var (first, start) = input.GetString("NextToken") is { } token ? ReadNextToken(token, hash, ranges.Count) : (0, null);
        var items = new List<object?>();
        var remaining = limit;
        string? next = null;
        Dictionary<string, object?>? lastKey = null;
        for (var r = first; r < ranges.Count; r++)
        {
            var range = ranges[r];
            if (r == first && start is not null)
                range = range.Descending ? range with { To = start, ToInclusive = false } : range with { From = start, FromInclusive = false };
            var request = new Dictionary<string, object?>
            {
                ["ConsistentRead"] = input.GetBool("ConsistentRead") ?? false,
                ["ReturnConsumedCapacity"] = "INDEXES",
                ["Select"] = fetchFromTable || target.Index is null ? "ALL_ATTRIBUTES" : "ALL_PROJECTED_ATTRIBUTES",
            };
            if (remaining is { } n) request["Limit"] = n;
            var page = Read(ctx, table, target, request, RequestExpressions.Parse(new(), ""), select.Where, range, null);
            foreach (var wire in (List<object?>)page["Items"]!)
                items.Add(select.Projection is null ? wire : AttributeValueWire.WriteItem(ProjectLeaves(AttributeValueWire.ReadItem((Dictionary<string, object?>)wire!), select.Projection)));
            AddReadCapacity(capacity, target, page.GetStruct("ConsumedCapacity"));
            if (remaining is not null) remaining -= (int)(long)page["ScannedCount"]!;
            if (page.GetStruct("LastEvaluatedKey") is { } lek)
            {
                lastKey = lek;
                next = NextToken(hash, r, StartKey(ctx, table, target, new() { ["ExclusiveStartKey"] = lek })!);
                break;
            }
            if (remaining is 0 && r + 1 < ranges.Count)
            {
                next = NextToken(hash, r + 1, null);
                break;
            }
        }
        var output = new Dictionary<string, object?> { ["Items"] = items };
        if (next is not null) output["NextToken"] = next;
        if (lastKey is not null) output["LastEvaluatedKey"] = lastKey;
        return output;
    }

    /// <summary>The table or index a SELECT reads, with DynamoDB's checks; whether a local index must fetch unprojected attributes from the table.</summary>
    private static (ReadTarget Target, bool FetchFromTable) SelectTarget(TableRecord table, PqSelect select, bool consistent)
    {
        if (select.IndexName is null)
        {
            ValidateOrderBy(select, table.HashKey, table.RangeKey);
            return (new ReadTarget(null, table.HashKey, table.RangeKey), false);
        }
        var index = table.Index(select.IndexName) ?? throw AwsException.Validation("The table does not have the specified index");
        if (index.Global && consistent) throw AwsException.Validation("Strongly consistent read is not supported on Global Secondary Indexes");
        ValidateOrderBy(select, index.HashKey, index.RangeKey);
        if (index.ProjectionType == "ALL") return (new ReadTarget(index, index.HashKey, index.RangeKey), false);
        var projected = table.KeySchema.Concat(index.KeySchema).Select(k => k.AttributeName)
            .Concat(index.NonKeyAttributes ?? []).ToHashSet(StringComparer.Ordinal);
        if (PartiQlKeys.Keyed(select.Where, index.HashKey))
        {
            var filtered = PartiQlKeys.Conjuncts(select.Where).SelectMany(PartiQlKeys.Roots).Where(r => !projected.Contains(r)).Distinct().ToList();
            if (filtered.Count > 0)
                throw AwsException.Validation($"One or more parameter values were invalid: Secondary index {index.IndexName} does not project one or more filter attributes: [{string.Join(", ", filtered)}]");
        }
        var missing = (select.Projection ?? []).Select(p => p.Root).Where(r => !projected.Contains(r)).Distinct().ToList();
        if (missing.Count > 0 && index.Global)
            throw AwsException.Validation($"One or more parameter values were invalid: Global secondary index {index.IndexName} does not project [{string.Join(", ", missing)}]");
        return (new ReadTarget(index, index.HashKey, index.RangeKey), missing.Count > 0);
    }

    private static void ValidateOrderBy(PqSelect select, string hashKey, string? rangeKey)
    {
        if (select.OrderBy is not { } order) return;
        if (select.Where is null) throw AwsException.Validation("Must have WHERE clause in the statement when using ORDER BY clause.");
        if (!PartiQlKeys.Keyed(select.Where, hashKey))
            throw AwsException.Validation("Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.");
        if (order.Elements.Count != 1 || (order.Root != hashKey && order.Root != rangeKey))
            throw AwsException.Validation($"Variable reference {order.Root} in ORDER BY clause must be part of the primary key");
    }

    /// <summary>SELECT a.b, c[0] names each result attribute by the last name of its path, as DynamoDB does.</summary>
    private static Item ProjectLeaves(Item item, IReadOnlyList<DocumentPath> paths)
    {
        var result = new Item(StringComparer.Ordinal);
        foreach (var path in paths)
            if (Documents.Get(item, path) is { } value)
                result[path.Elements.Last(e => !e.IsIndex).Name!] = value;
        return result;
    }

    private static void AddReadCapacity(Capacity capacity, ReadTarget target, Dictionary<string, object?>? report)
    {
        if (report is null) return;
        double Units(Dictionary<string, object?>? d) => d?.GetValueOrDefault("CapacityUnits") is double u ? u : 0;
        capacity.AddTable(Units(report.GetStruct("Table")));
        if (target.Index is { } index)
        {
            var arm = report.GetStruct(index.Global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
            capacity.AddIndex(index, Units(arm?.GetStruct(index.IndexName)));
        }
    }

    private static string NextToken(string hash, int range, string? after) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{hash}\n{range}\n{after}"));

    /// <summary>The range and the key to continue after; DynamoDB's errors for a token that is not one or belongs to another statement.</summary>
    private static (int Range, string? After) ReadNextToken(string token, string hash, int ranges)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('\n');
        }
        catch (FormatException)
        {
            throw AwsException.Validation("Invalid NextToken");
        }
        if (parts.Length != 3 || !int.TryParse(parts[1], out var range) || range < 0 || range > ranges)
            throw AwsException.Validation("Invalid NextToken");
        if (parts[0] != hash) throw AwsException.Validation("NextToken does not match request");
        return (range, parts[2].Length == 0 ? null : parts[2]);
    }
}
