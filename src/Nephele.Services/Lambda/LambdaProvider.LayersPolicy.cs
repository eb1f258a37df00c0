using System.Text.Json;
using System.Text.RegularExpressions;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Lambda;

/// <summary>Layer version permissions: AddLayerVersionPermission, RemoveLayerVersionPermission, GetLayerVersionPolicy.
/// The policy is enforced: other accounts can read (and use in their functions) only versions that grant them.</summary>
public sealed partial class LambdaProvider
{
    private Dictionary<string, object?> AddLayerVersionPermission(RequestContext ctx, Dictionary<string, object?> input)
    {
        var (scope, name) = ParseLayerName(ctx, input);
        if (scope.AccountId != ctx.Scope.AccountId) throw AccessDenied(ctx, "AddLayerVersionPermission", LayerArn(scope, name));
        var number = input.GetLong("VersionNumber") ?? 0;
        var sid = input.RequireString("StatementId");
        if (!StatementIdPattern().IsMatch(sid) || sid.Length > 100)
            throw LambdaErrors.Constraint(sid, "statementId", "Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)");
        var action = input.RequireString("Action");
        if (action != "lambda:GetLayerVersion")
            throw LambdaErrors.Constraint(action, "action", "Member must satisfy regular expression pattern: lambda:GetLayerVersion");
        var principal = input.RequireString("Principal");
        if (!LayerPrincipalPattern().IsMatch(principal))
            throw LambdaErrors.Constraint(principal, "principal", "Member must satisfy regular expression pattern: \\d{12}|\\*|arn:(aws[a-zA-Z-]*):iam::\\d{12}:root");
        var organization = input.GetString("OrganizationId");
        if (organization is not null && principal != "*")
            throw LambdaErrors.InvalidParameter("OrganizationId can only be specified when the principal is '*'.");
        return Layers.Transaction(() =>
        {
            var version = Layers.Version(scope, name, number)
                ?? throw LambdaErrors.ResourceNotFound($"Layer version {LayerVersionArn(scope, name, number)} does not exist.");
            if (input.GetString("RevisionId") is { } revision && revision != version.PolicyRevisionId) throw LambdaErrors.PreconditionFailed();
            if (version.Policy.Any(s => s.Sid == sid))
                throw LambdaErrors.Conflict($"The statement id ({sid}) provided already exists. Please provide a new statement id, or remove the existing statement.");
            var json = LayerStatementJson(sid, principal, organization, LayerVersionArn(scope, name, number));
            var updated = version with { Policy = [.. version.Policy, new PolicyStatement(sid, json)], PolicyRevisionId = Guid.NewGuid().ToString() };
            Layers.PutVersion(scope, updated);
            return new Dictionary<string, object?> { ["Statement"] = json, ["RevisionId"] = updated.PolicyRevisionId };
        });
    }

    private Dictionary<string, object?> RemoveLayerVersionPermission(RequestContext ctx, Dictionary<string, object?> input)
    {
        var (scope, name) = ParseLayerName(ctx, input);
        if (scope.AccountId != ctx.Scope.AccountId) throw AccessDenied(ctx, "RemoveLayerVersionPermission", LayerArn(scope, name));
        var number = input.GetLong("VersionNumber") ?? 0;
        var sid = input.RequireString("StatementId");
        return Layers.Transaction(() =>
        {
            var version = Layers.Version(scope, name, number)
                ?? throw LambdaErrors.ResourceNotFound($"Layer version {LayerVersionArn(scope, name, number)} does not exist.");
            if (input.GetString("RevisionId") is { } revision && revision != version.PolicyRevisionId) throw LambdaErrors.PreconditionFailed();
            if (!version.Policy.Any(s => s.Sid == sid)) throw LambdaErrors.ResourceNotFound($"Statement {sid} is not found in resource policy.");
            Layers.PutVersion(scope, version with { Policy = version.Policy.Where(s => s.Sid != sid).ToList(), PolicyRevisionId = Guid.NewGuid().ToString() });
            return new Dictionary<string, object?> { ["StatusCode"] = 204L };
        });
    }

    private Dictionary<string, object?> GetLayerVersionPolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        var (scope, name) = ParseLayerName(ctx, input);
        if (scope.AccountId != ctx.Scope.AccountId) throw AccessDenied(ctx, "GetLayerVersionPolicy", LayerArn(scope, name));
        var number = input.GetLong("VersionNumber") ?? 0;
        var version = Layers.Version(scope, name, number)
            ?? throw LambdaErrors.ResourceNotFound($"Layer version {LayerVersionArn(scope, name, number)} does not exist.");
        if (version.Policy.Count == 0) throw LambdaErrors.ResourceNotFound("No policy is associated with the given resource.");
        var policy = "{\"Version\":\"2012-10-17\",\"Id\":\"default\",\"Statement\":[" + string.Join(",", version.Policy.Select(s => s.Json)) + "]}";
        return new() { ["Policy"] = policy, ["RevisionId"] = version.PolicyRevisionId };
    }

    /// <summary>Whether a statement lets <paramref name="account"/> read the version (organisations are not modelled: '*' with an
    /// organisation condition admits every account).</summary>
    private static bool GrantsGetLayerVersion(LayerVersionRecord version, string account) => version.Policy.Any(s =>
    {
        using var doc = JsonDocument.Parse(s.Json);
        var principal = doc.RootElement.GetProperty("Principal");
        if (principal.ValueKind == JsonValueKind.String) return principal.GetString() == "*";
        var aws = principal.TryGetProperty("AWS", out var a) ? a.GetString() ?? "" : "";
        return aws == account || aws.EndsWith(":" + account + ":root", StringComparison.Ordinal);
    });

    private static string LayerStatementJson(string sid, string principal, string? organization, string resource)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("Sid", sid);
            w.WriteString("Effect", "Allow");
            if (principal == "*") w.WriteString("Principal", "*");
            else
            {
                w.WriteStartObject("Principal");
                w.WriteString("AWS", principal.Length == 12 ? $"arn:aws:iam::{principal}:root" : principal);
                w.WriteEndObject();
            }
            w.WriteString("Action", "lambda:GetLayerVersion");
            w.WriteString("Resource", resource);
            if (organization is not null)
            {
                w.WriteStartObject("Condition");
                w.WriteStartObject("StringEquals");
                w.WriteString("aws:PrincipalOrgID", organization);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    [GeneratedRegex(@"^[a-zA-Z0-9\-_]+$")]
    private static partial Regex StatementIdPattern();

    [GeneratedRegex(@"^(\d{12}|\*|arn:(aws[a-zA-Z-]*):iam::\d{12}:root)$")]
    private static partial Regex LayerPrincipalPattern();
}
