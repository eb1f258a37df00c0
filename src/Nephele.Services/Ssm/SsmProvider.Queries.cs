using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Ssm;

public sealed partial class SsmProvider
{
    private Dictionary<string, object?> GetParametersByPath(RequestContext ctx, Dictionary<string, object?> input)
    {
        var path = input.RequireString("Path");
        ParameterNames.ValidatePath(path);
        var recursive = input.GetBool("Recursive") ?? false;
        var decrypt = input.GetBool("WithDecryption") ?? false;
        var limit = Limit(input, 10);
        var filters = ParameterFilters.Read(input, byPath: true);
        var prefix = path.EndsWith('/') ? path : path + "/";
        var candidates = PublicParameters.IsPublic(prefix) ? PublicParameters.Under(ctx.Region, prefix).Select(ToRecord) : _store.All(ctx.Scope, prefix);
        var matching = candidates
            .Where(p => recursive || !p.Name.AsSpan(prefix.Length).Contains('/'))
            .Where(p => filters.All(f => f.Matches(p)));
        var (page, next) = Page(matching, input.GetString("NextToken"), limit);
        return new()
        {
            ["Parameters"] = page.Select(p => (object?)ToParameter(ctx, p.Name, p.Latest, null, decrypt)).ToList(),
            ["NextToken"] = next,
        };
    }

    private Dictionary<string, object?> DescribeParameters(RequestContext ctx, Dictionary<string, object?> input)
    {
        var limit = Limit(input, 50);
        var filters = ParameterFilters.Read(input, byPath: false);
        var matching = _store.All(ctx.Scope).Where(p => filters.All(f => f.Matches(p)));
        var (page, next) = Page(matching, input.GetString("NextToken"), limit);
        return new()
        {
            ["Parameters"] = page.Select(p => (object?)Metadata(ctx, p)).ToList(),
            ["NextToken"] = next,
        };
    }

    private Dictionary<string, object?> GetParameterHistory(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.RequireString("Name");
        var record = _store.Get(ctx.Scope, ParameterNames.Split(name).Name) ?? throw ParameterNotFound(name);
        var decrypt = input.GetBool("WithDecryption") ?? false;
        var limit = Limit(input, 50);
        var start = int.TryParse(input.GetString("NextToken"), out var s) ? s : 0;
        var page = record.Versions.Skip(start).Take(limit).Select(v => (object?)new Dictionary<string, object?>
        {
            ["Name"] = record.Name,
            ["Type"] = v.Type,
            ["KeyId"] = v.KeyId,
            ["LastModifiedDate"] = v.LastModifiedDate,
            ["LastModifiedUser"] = v.LastModifiedUser,
            ["Description"] = v.Description,
            ["Value"] = Present(ctx, record.Name, v, decrypt),
            ["AllowedPattern"] = v.AllowedPattern,
            ["Version"] = v.Version,
            ["Labels"] = v.Labels.Select(l => (object?)l).ToList(),
            ["Tier"] = v.Tier,
            ["Policies"] = ParameterPolicies.Write(v.Policies),
            ["DataType"] = v.DataType,
        }).ToList();
        return new()
        {
            ["Parameters"] = page,
            ["NextToken"] = start + limit < record.Versions.Count ? (start + limit).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
        };
    }

    private static Dictionary<string, object?> Metadata(RequestContext ctx, ParameterRecord p) => new()
    {
        ["Name"] = p.Name,
        ["ARN"] = Arn(ctx, p.Name),
        ["Type"] = p.Latest.Type,
        ["KeyId"] = p.Latest.KeyId,
        ["LastModifiedDate"] = p.Latest.LastModifiedDate,
        ["LastModifiedUser"] = p.Latest.LastModifiedUser,
        ["Description"] = p.Latest.Description,
        ["AllowedPattern"] = p.Latest.AllowedPattern,
        ["Version"] = p.Latest.Version,
        ["Tier"] = p.Latest.Tier,
        ["Policies"] = ParameterPolicies.Write(p.Latest.Policies),
        ["DataType"] = p.Latest.DataType,
    };

    private static int Limit(Dictionary<string, object?> input, int max)
    {
        var limit = input.GetInt("MaxResults") ?? max;
        if (limit < 1 || limit > max)
            throw AwsException.Validation($"1 validation error detected: Value '{limit}' at 'maxResults' failed to satisfy constraint: "
                + $"Member must have value {(limit < 1 ? "greater than or equal to 1" : $"less than or equal to {max}")}");
        return limit;
    }

    // The token is the last name of the previous page: rows come in name order, so the next page starts after it.
    private static (List<ParameterRecord> Page, string? Next) Page(IEnumerable<ParameterRecord> matching, string? token, int limit)
    {
        var after = PageToken.Resume(token, () => AwsException.Validation("The specified token is not valid."));
        var page = matching.Where(p => after is null || string.CompareOrdinal(p.Name, after) > 0).Take(limit + 1).ToList();
        if (page.Count <= limit) return (page, null);
        page.RemoveAt(limit);
        return (page, PageToken.After(page[^1].Name));
    }
}
