using System.Text;
using System.Text.Json;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Lambda;

/// <summary>Resource policies, reserved concurrency, tags and account settings.</summary>
public sealed partial class LambdaProvider
{
    private const int AccountConcurrency = 1000;
    private const int MinimumUnreserved = 100;

    private Dictionary<string, object?> AddPermission(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input);
        var sid = input.RequireString("StatementId");
        var action = input.RequireString("Action");
        var principal = input.RequireString("Principal");
        if (!action.StartsWith("lambda:", StringComparison.Ordinal))
            throw LambdaErrors.Constraint(action, "action", "Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])");
        return _store.Transaction(() =>
        {
            var function = RequireFunction(f);
            var qualifier = f.Qualifier ?? "";
            if (qualifier.Length > 0) ResolveVersion(f);
            if (input.GetString("RevisionId") is { } revision && revision != ResolveVersion(f).RevisionId) throw LambdaErrors.PreconditionFailed();
            var statements = function.Policies.GetValueOrDefault(qualifier) ?? [];
            if (statements.Any(s => s.Sid == sid))
                throw LambdaErrors.Conflict("The statement id (sid) provided already exists. Please provide a new statement id, or remove the existing statement.");
            var json = StatementJson(sid, action, principal, f.QualifiedArn, input);
            var policies = new Dictionary<string, List<PolicyStatement>>(function.Policies) { [qualifier] = [.. statements, new PolicyStatement(sid, json)] };
            _store.PutFunction(f.Scope, function with { Policies = policies });
            return new Dictionary<string, object?> { ["Statement"] = json };
        });
    }

    private Dictionary<string, object?> RemovePermission(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input);
        var sid = input.RequireString("StatementId");
        return _store.Transaction(() =>
        {
            var function = RequireFunction(f);
            var qualifier = f.Qualifier ?? "";
            var statements = function.Policies.GetValueOrDefault(qualifier) ?? [];
            if (!statements.Any(s => s.Sid == sid)) throw LambdaErrors.ResourceNotFound($"Statement {sid} is not found in resource policy.");
            var policies = new Dictionary<string, List<PolicyStatement>>(function.Policies) { [qualifier] = statements.Where(s => s.Sid != sid).ToList() };
            _store.PutFunction(f.Scope, function with { Policies = policies });
            return new Dictionary<string, object?>();
        });
    }

    private Dictionary<string, object?> GetPolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input);
        var function = RequireFunction(f);
        var version = ResolveVersion(f);
        var statements = function.Policies.GetValueOrDefault(f.Qualifier ?? "") ?? [];
        if (statements.Count == 0) throw LambdaErrors.ResourceNotFound("The resource you requested does not exist.");
        var policy = "{\"Version\":\"2012-10-17\",\"Id\":\"default\",\"Statement\":[" + string.Join(",", statements.Select(s => s.Json)) + "]}";
        return new() { ["Policy"] = policy, ["RevisionId"] = version.RevisionId };
    }

    /// <summary>The statement AWS builds from AddPermission's members.</summary>
    private static string StatementJson(string sid, string action, string principal, string resource, Dictionary<string, object?> input)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("Sid", sid);
            w.WriteString("Effect", "Allow");
            w.WritePropertyName("Principal");
            if (principal == "*") w.WriteStringValue("*");
            else
            {
                w.WriteStartObject();
                if (principal.EndsWith(".amazonaws.com", StringComparison.Ordinal)) w.WriteString("Service", principal);
                else w.WriteString("AWS", principal.Length == 12 && principal.All(char.IsAsciiDigit) ? $"arn:aws:iam::{principal}:root" : principal);
                w.WriteEndObject();
            }
            w.WriteString("Action", action);
            w.WriteString("Resource", resource);
            var equals = new List<(string, string)>();
            if (input.GetString("SourceAccount") is { } account) equals.Add(("AWS:SourceAccount", account));
            if (input.GetString("PrincipalOrgID") is { } org) equals.Add(("aws:PrincipalOrgID", org));
            if (input.GetString("EventSourceToken") is { } token) equals.Add(("lambda:EventSourceToken", token));
            if (input.GetString("FunctionUrlAuthType") is { } auth) equals.Add(("lambda:FunctionUrlAuthType", auth));
            var sourceArn = input.GetString("SourceArn");
            if (equals.Count > 0 || sourceArn is not null)
            {
                w.WriteStartObject("Condition");
                if (equals.Count > 0)
                {
                    w.WriteStartObject("StringEquals");
                    foreach (var (k, v) in equals) w.WriteString(k, v);
                    w.WriteEndObject();
                }
                if (sourceArn is not null)
                {
                    w.WriteStartObject("ArnLike");
                    w.WriteString("AWS:SourceArn", sourceArn);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private Dictionary<string, object?> PutFunctionConcurrency(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input, allowQualifier: false);
        var reserved = input.GetInt("ReservedConcurrentExecutions")
            ?? throw LambdaErrors.Constraint(null, "reservedConcurrentExecutions", "Member must not be null");
        if (reserved < 0) throw LambdaErrors.Constraint(reserved, "reservedConcurrentExecutions", "Member must have value greater than or equal to 0");
        return _store.Transaction(() =>
        {
            var function = RequireFunction(f);
            var others = _store.Functions(f.Scope).Where(fn => fn.Name != f.Name).Sum(fn => fn.ReservedConcurrency ?? 0);
            if (AccountConcurrency - others - reserved < MinimumUnreserved)
                throw LambdaErrors.InvalidParameter($"Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [{MinimumUnreserved}].");
            _store.PutFunction(f.Scope, function with { ReservedConcurrency = reserved });
            return new Dictionary<string, object?> { ["ReservedConcurrentExecutions"] = (long)reserved };
        });
    }

    private Dictionary<string, object?> GetFunctionConcurrency(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input, allowQualifier: false);
        var function = RequireFunction(f);
        return new() { ["ReservedConcurrentExecutions"] = function.ReservedConcurrency is { } r ? (long)r : null };
    }

    private Dictionary<string, object?> DeleteFunctionConcurrency(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input, allowQualifier: false);
        return _store.Transaction(() =>
        {
            _store.PutFunction(f.Scope, RequireFunction(f) with { ReservedConcurrency = null });
            return new Dictionary<string, object?>();
        });
    }

    private Dictionary<string, object?> TagResource(RequestContext ctx, Dictionary<string, object?> input)
    {
        var tags = ValidTags(input.GetStringMap("Tags"));
        return ChangeTags(ctx, input, t =>
        {
            foreach (var (k, v) in tags) t[k] = v;
        });
    }

    private Dictionary<string, object?> UntagResource(RequestContext ctx, Dictionary<string, object?> input)
    {
        var keys = input.GetStrings("TagKeys");
        return ChangeTags(ctx, input, t =>
        {
            foreach (var k in keys) t.Remove(k);
        });
    }

    private Dictionary<string, object?> ListTags(RequestContext ctx, Dictionary<string, object?> input)
    {
        var function = RequireFunction(TaggedFunction(ctx, input));
        return new() { ["Tags"] = function.Tags.ToDictionary(t => t.Key, t => (object?)t.Value) };
    }

    private Dictionary<string, object?> ChangeTags(RequestContext ctx, Dictionary<string, object?> input, Action<Dictionary<string, string>> change)
    {
        var f = TaggedFunction(ctx, input);
        return _store.Transaction(() =>
        {
            var function = RequireFunction(f);
            var tags = new Dictionary<string, string>(function.Tags, StringComparer.Ordinal);
            change(tags);
            if (tags.Count > 50) throw LambdaErrors.InvalidParameter("Number of tags exceeds resource tag limit.");
            _store.PutFunction(f.Scope, function with { Tags = tags });
            return new Dictionary<string, object?>();
        });
    }

    /// <summary>Tags belong to the function: the Resource must be an unqualified function ARN.</summary>
    private static FunctionRef TaggedFunction(RequestContext ctx, Dictionary<string, object?> input)
    {
        var arn = input.RequireString("Resource");
        var parts = arn.Split(':');
        if (parts.Length != 7 || parts[0] != "arn" || parts[2] != "lambda" || parts[5] != "function")
            throw LambdaErrors.InvalidParameter($"Tags are only supported on unqualified function ARNs: {arn}");
        return new FunctionRef(new Scope(parts[4], parts[3]), parts[6], null);
    }

    private Dictionary<string, object?> GetAccountSettings(RequestContext ctx, Dictionary<string, object?> input)
    {
        var functions = _store.Functions(ctx.Scope).ToList();
        var reserved = functions.Sum(f => f.ReservedConcurrency ?? 0);
        var codeSize = functions.SelectMany(f => _store.Versions(ctx.Scope, f.Name)).DistinctBy(v => v.CodeBlob).Sum(v => v.CodeSize);
        return new()
        {
            ["AccountLimit"] = new Dictionary<string, object?>
            {
                ["TotalCodeSize"] = 80_530_636_800L,
                ["CodeSizeUnzipped"] = 262_144_000L,
                ["CodeSizeZipped"] = 52_428_800L,
                ["ConcurrentExecutions"] = (long)AccountConcurrency,
                ["UnreservedConcurrentExecutions"] = (long)(AccountConcurrency - reserved),
            },
            ["AccountUsage"] = new Dictionary<string, object?>
            {
                ["TotalCodeSize"] = codeSize,
                ["FunctionCount"] = (long)functions.Count,
            },
        };
    }
}
