using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Logs;

/// <summary>Saved Logs Insights queries: PutQueryDefinition (create or update), DescribeQueryDefinitions, DeleteQueryDefinition.</summary>
public sealed partial class LogsProvider
{
    private const int MaxQueryDefinitions = 1000;

    private IResourceTable QueryDefinitions => env.State.Table("logs", "query-definitions");

    private Dictionary<string, object?> PutQueryDefinition(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.RequireString("name");
        if (name.Length is < 1 or > 255)
            throw LogsErrors.Constraint(name, "name", name.Length < 1 ? "Member must have length greater than or equal to 1" : "Member must have length less than or equal to 255");
        var queryString = input.RequireString("queryString");
        if (queryString.Length is < 1 or > 10_000)
            throw LogsErrors.Constraint(queryString, "queryString", queryString.Length < 1 ? "Member must have length greater than or equal to 1" : "Member must have length less than or equal to 10000");
        if ((input.GetString("queryLanguage") ?? "CWLI") != "CWLI")
            throw LogsErrors.InvalidParameter("Nephele keeps only CloudWatch Logs Insights QL (CWLI) query definitions.");
        var parameters = (input.GetList("parameters") ?? []).OfType<Dictionary<string, object?>>()
            .Select(p => new QueryParameterRecord(p.RequireString("name"), p.GetString("defaultValue"), p.GetString("description"))).ToList();
        var groups = input.GetStrings("logGroupNames").ToList();
        var id = input.GetString("queryDefinitionId");
        return _store.Transaction(() =>
        {
            if (id is not null)
            {
                if (QueryDefinitions.Get(ctx.Scope, id, QueryJsonContext.Default.QueryDefinitionRecord) is null)
                    throw new AwsException("ResourceNotFoundException", "The specified query definition does not exist.");
            }
            else
            {
                if (QueryDefinitions.Count(ctx.Scope) >= MaxQueryDefinitions)
                    throw new AwsException("LimitExceededException", $"The account already has the maximum of {MaxQueryDefinitions} query definitions.");
                id = Guid.NewGuid().ToString();
            }
            QueryDefinitions.Put(ctx.Scope, id, new QueryDefinitionRecord
            {
                Id = id,
                Name = name,
                QueryString = queryString,
                LogGroupNames = groups,
                Parameters = parameters,
                LastModified = ctx.Now.ToUnixTimeMilliseconds(),
            }, QueryJsonContext.Default.QueryDefinitionRecord);
            return new Dictionary<string, object?> { ["queryDefinitionId"] = id };
        });
    }

    private Dictionary<string, object?> DescribeQueryDefinitions(RequestContext ctx, Dictionary<string, object?> input)
    {
        var max = input.GetInt("maxResults") ?? 1000;
        if (max is < 1 or > 1000)
            throw LogsErrors.Constraint(max, "maxResults", max < 1 ? "Member must have value greater than or equal to 1" : "Member must have value less than or equal to 1000");
        var prefix = input.GetString("queryDefinitionNamePrefix");
        var after = PageToken.Resume(input.GetString("nextToken"), LogsErrors.InvalidToken);
        // Ordered by name; the token is the name and id of the last definition returned.
        var matching = QueryDefinitions.Values(ctx.Scope, QueryJsonContext.Default.QueryDefinitionRecord)
            .Where(d => prefix is null || d.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(d => (Key: d.Name + "\n" + d.Id, Definition: d))
            .Where(d => after is null || string.CompareOrdinal(d.Key, after) > 0)
            .OrderBy(d => d.Key, StringComparer.Ordinal)
            .ToList();
        var page = matching.Take(max).ToList();
        return new()
        {
            ["queryDefinitions"] = page.Select(d => (object?)new Dictionary<string, object?>
            {
                ["queryLanguage"] = "CWLI",
                ["queryDefinitionId"] = d.Definition.Id,
                ["name"] = d.Definition.Name,
                ["queryString"] = d.Definition.QueryString,
                ["lastModified"] = d.Definition.LastModified,
                ["logGroupNames"] = d.Definition.LogGroupNames.Select(g => (object?)g).ToList(),
                ["parameters"] = d.Definition.Parameters.Count == 0 ? null : d.Definition.Parameters.Select(p => (object?)new Dictionary<string, object?>
                {
                    ["name"] = p.Name,
                    ["defaultValue"] = p.DefaultValue,
                    ["description"] = p.Description,
                }).ToList(),
            }).ToList(),
            ["nextToken"] = matching.Count > max ? PageToken.After(page[^1].Key) : null,
        };
    }

    private Dictionary<string, object?> DeleteQueryDefinition(RequestContext ctx, Dictionary<string, object?> input)
    {
        var id = input.RequireString("queryDefinitionId");
        return _store.Transaction(() =>
        {
            if (QueryDefinitions.Get(ctx.Scope, id, QueryJsonContext.Default.QueryDefinitionRecord) is null)
                throw new AwsException("ResourceNotFoundException", "The specified query definition does not exist.");
            QueryDefinitions.Delete(ctx.Scope, id);
            return new Dictionary<string, object?> { ["success"] = true };
        });
    }
}
