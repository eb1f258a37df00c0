using System.Text.RegularExpressions;
using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.DynamoDb;

/// <summary>
/// For --enforce-iam: DynamoDB requests act on their table (arn:aws:dynamodb:region:account:table/T) or index
/// (table/T/index/I) as dynamodb:&lt;Operation&gt;; batch requests need their action on every table they touch, and
/// transactions the per-item action (PutItem, UpdateItem, DeleteItem, ConditionCheckItem, GetItem) on each table.
/// Condition keys: dynamodb:LeadingKeys (the partition key values a request reads or writes, for fine-grained access),
/// dynamodb:Attributes, dynamodb:Select, dynamodb:ReturnValues, aws:ResourceTag/*, aws:RequestTag/*, aws:TagKeys.
/// </summary>
public sealed partial class DynamoDbProvider : IResourcePolicySource
{
    public IReadOnlyList<AuthorizationTarget> TargetsOf(RequestContext context, Dictionary<string, object?> input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var operation = context.Operation.Name;
        var scope = context.Scope;
        switch (operation)
        {
            case "BatchGetItem" or "BatchWriteItem":
                return (input.GetValueOrDefault("RequestItems") as Dictionary<string, object?>)?.Keys
                    .Select(table => Target(scope, table, null, null, new Dictionary<string, object?>())).ToList() ?? [];
            case "TransactGetItems" or "TransactWriteItems":
                var targets = new List<AuthorizationTarget>();
                foreach (var item in (input.GetValueOrDefault("TransactItems") as List<object?>)?.OfType<Dictionary<string, object?>>() ?? [])
                    foreach (var (kind, body) in item)
                        if (body is Dictionary<string, object?> request && request.GetString("TableName") is { Length: > 0 } table)
                            targets.Add(Target(scope, table, null, kind == "ConditionCheck" ? "dynamodb:ConditionCheckItem" : $"dynamodb:{kind}Item", request));
                return targets;
            case "ExecuteStatement":
                return [PartiQlTarget(scope, ParsePartiQl(input))];
            case "BatchExecuteStatement" or "ExecuteTransaction":
                return PartiQlTargets(scope, input.GetList(operation == "ExecuteTransaction" ? "TransactStatements" : "Statements"));
        }
        var name = input.GetString("TableName") ?? input.GetString("ResourceArn");
        if (name is not { Length: > 0 }) return [];
        return [Target(scope, name, input.GetString("IndexName"), null, input)];
    }

    /// <summary>Each statement of a batch or transaction acts on its own table; one that does not parse is left to the
    /// handler, which reports it (per statement in a batch).</summary>
    private List<AuthorizationTarget> PartiQlTargets(Scope scope, List<object?>? statements)
    {
        var targets = new List<AuthorizationTarget>();
        foreach (var statement in statements?.OfType<Dictionary<string, object?>>() ?? [])
        {
            PartiQl.PqStatement parsed;
            try
            {
                parsed = ParsePartiQl(statement);
            }
            catch (AwsException)
            {
                continue;
            }
            targets.Add(PartiQlTarget(scope, parsed));
        }
        return targets;
    }

    /// <summary>PartiQL is authorized like AWS does: dynamodb:PartiQLSelect/Insert/Update/Delete on the table (or the
    /// index a SELECT reads) that the statement names; EXISTS in a transaction reads, so it is a PartiQLSelect.</summary>
    private AuthorizationTarget PartiQlTarget(Scope scope, PartiQl.PqStatement statement)
    {
        var action = statement switch
        {
            PartiQl.PqInsert => "dynamodb:PartiQLInsert",
            PartiQl.PqUpdate => "dynamodb:PartiQLUpdate",
            PartiQl.PqDelete => "dynamodb:PartiQLDelete",
            _ => "dynamodb:PartiQLSelect",
        };
        return Target(scope, statement.TableName, statement.IndexName, action, new Dictionary<string, object?>());
    }

    private AuthorizationTarget Target(Scope scope, string tableNameOrArn, string? indexName, string? action, Dictionary<string, object?> request)
    {
        // A table may be named by its ARN (arn:aws:dynamodb:region:account:table/T[/index/I|/stream/...]).
        var name = tableNameOrArn;
        if (name.StartsWith("arn:", StringComparison.Ordinal))
        {
            var parts = name.Split(':', 6);
            if (parts.Length == 6 && parts[5].StartsWith("table/", StringComparison.Ordinal))
            {
                scope = new Scope(parts[4], parts[3]);
                name = parts[5]["table/".Length..].Split('/')[0];
            }
        }
        var table = _store.Find(scope, name);
        var arn = tableNameOrArn.StartsWith("arn:", StringComparison.Ordinal) ? tableNameOrArn
            : $"arn:aws:dynamodb:{scope.Region}:{scope.AccountId}:table/{name}" + (indexName is { Length: > 0 } ? $"/index/{indexName}" : "");
        var keys = new ConditionKeys()
            .Add("dynamodb:LeadingKeys", table is null ? null : LeadingKeys(table, indexName, request))
            .Add("dynamodb:Attributes", Attributes(request))
            .Add("dynamodb:Select", request.GetString("Select"))
            .Add("dynamodb:ReturnValues", request.GetString("ReturnValues"))
            .Add("dynamodb:ReturnConsumedCapacity", request.GetString("ReturnConsumedCapacity"))
            .RequestTags(ConditionKeys.TagsOf(request.GetValueOrDefault("Tags")))
            .TagKeys((request.GetValueOrDefault("TagKeys") as List<object?>)?.OfType<string>().ToList())
            .ResourceTags(table?.Tags);
        return new AuthorizationTarget(arn, table is null ? null : TablePolicy(scope, table), scope.AccountId) { Action = action, Context = keys.Build() };
    }

    /// <summary>The partition key values of the item(s) a request names: its Key or Item, or a Query's equality on the
    /// partition key (KeyConditionExpression or the legacy KeyConditions).</summary>
    private static List<string>? LeadingKeys(TableRecord table, string? indexName, Dictionary<string, object?> request)
    {
        var hashKey = (indexName is { Length: > 0 } ? table.GlobalSecondaryIndexes.FirstOrDefault(i => i.IndexName == indexName)?.HashKey : null) ?? table.HashKey;
        var item = request.GetValueOrDefault("Key") as Dictionary<string, object?> ?? request.GetValueOrDefault("Item") as Dictionary<string, object?>;
        if (item?.GetValueOrDefault(hashKey) is Dictionary<string, object?> value) return ScalarOf(value) is { } v ? [v] : null;
        if ((request.GetValueOrDefault("KeyConditions") as Dictionary<string, object?>)?.GetValueOrDefault(hashKey) is Dictionary<string, object?> condition
            && (condition.GetValueOrDefault("AttributeValueList") as List<object?>)?.FirstOrDefault() is Dictionary<string, object?> listed)
            return ScalarOf(listed) is { } v ? [v] : null;
        if (request.GetString("KeyConditionExpression") is not { } expression) return null;
        var names = request.GetValueOrDefault("ExpressionAttributeNames") as Dictionary<string, object?>;
        var values = request.GetValueOrDefault("ExpressionAttributeValues") as Dictionary<string, object?>;
        foreach (Match m in EqualityPattern().Matches(expression))
        {
            var attribute = m.Groups["name"].Value;
            if (attribute.StartsWith('#')) attribute = names?.GetValueOrDefault(attribute) as string ?? attribute;
            if (attribute == hashKey && values?.GetValueOrDefault(m.Groups["value"].Value) is Dictionary<string, object?> operand)
                return ScalarOf(operand) is { } v ? [v] : null;
        }
        return null;
    }

    private static string? ScalarOf(Dictionary<string, object?> attributeValue) =>
        attributeValue.GetValueOrDefault("S") as string ?? attributeValue.GetValueOrDefault("N") as string
        ?? (attributeValue.GetValueOrDefault("B") is byte[] bytes ? Convert.ToBase64String(bytes) : null);

    /// <summary>The attribute names a request reads or writes: item attributes, AttributesToGet, and the names its
    /// projection and update expressions use.</summary>
    private static List<string>? Attributes(Dictionary<string, object?> request)
    {
        var attributes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var key in (request.GetValueOrDefault("Item") as Dictionary<string, object?>)?.Keys ?? Enumerable.Empty<string>()) attributes.Add(key);
        foreach (var name in (request.GetValueOrDefault("AttributesToGet") as List<object?>)?.OfType<string>() ?? []) attributes.Add(name);
        foreach (var key in (request.GetValueOrDefault("AttributeUpdates") as Dictionary<string, object?>)?.Keys ?? Enumerable.Empty<string>()) attributes.Add(key);
        var names = request.GetValueOrDefault("ExpressionAttributeNames") as Dictionary<string, object?>;
        foreach (var expression in new[] { request.GetString("ProjectionExpression"), request.GetString("UpdateExpression") })
            if (expression is not null)
                foreach (Match m in PathPattern().Matches(expression))
                {
                    var token = m.Value;
                    if (token.StartsWith('#')) token = names?.GetValueOrDefault(token) as string ?? token;
                    if (!UpdateKeywords.Contains(token)) attributes.Add(token);
                }
        return attributes.Count == 0 ? null : [.. attributes];
    }

    // Words of the update expression grammar that are not attribute names.
    private static readonly HashSet<string> UpdateKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "SET", "REMOVE", "ADD", "DELETE", "if_not_exists", "list_append", "size",
    };

    [GeneratedRegex(@"(?<name>#?[A-Za-z0-9_]+)\s*=\s*(?<value>:[A-Za-z0-9_]+)")]
    private static partial Regex EqualityPattern();

    // The first element of each document path (a, #n, a.b[1] → a); values (:v) are skipped by the lookbehind.
    [GeneratedRegex(@"(?<![:\.\w#\[])#?[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex PathPattern();
}
