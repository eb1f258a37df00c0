using System.Globalization;
using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

/// <summary>
/// The policy simulator: SimulatePrincipalPolicy (a user's, group's or role's policies, plus extra ones) and
/// SimulateCustomPolicy (given documents) evaluate each action on each resource with the same engine --enforce-iam
/// uses, reporting the decision, the statements that matched and the condition keys the simulation lacked values for.
/// </summary>
public sealed partial class IamProvider
{
    private IEnumerable<(string, Handler)> SimulationHandlers() =>
    [
        ("SimulatePrincipalPolicy", SimulatePrincipalPolicy),
        ("SimulateCustomPolicy", SimulateCustomPolicy),
    ];

    /// <summary>A policy under simulation: its id and type as the simulator reports them in MatchedStatements.</summary>
    private sealed record SimulatedPolicy(string Id, string Type, PolicyDocument Document, string Text)
    {
        private List<(StatementPositions.Position Start, StatementPositions.Position End)>? _positions;

        /// <summary>Where the statement is written in this policy's text, if it is one of its statements.</summary>
        public (StatementPositions.Position Start, StatementPositions.Position End)? PositionOf(PolicyStatement statement)
        {
            _positions ??= StatementPositions.Locate(Text);
            for (var i = 0; i < Document.Statements.Count && i < _positions.Count; i++)
                if (ReferenceEquals(Document.Statements[i], statement)) return _positions[i];
            return null;
        }
    }

    private Dictionary<string, object?> SimulateCustomPolicy(RequestContext ctx, Dictionary<string, object?> input) =>
        Simulate(ctx, input, Inputs(input.GetStrings("PolicyInputList"), "PolicyInputList", "IAM Policy"), null);

    private Dictionary<string, object?> SimulatePrincipalPolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        var arn = Required(input, "PolicySourceArn");
        var policies = SimulatedPoliciesOf(ctx, arn);
        policies.AddRange(Inputs(input.GetStrings("PolicyInputList"), "PolicyInputList", "IAM Policy"));
        return Simulate(ctx, input, policies, arn);
    }

    private Dictionary<string, object?> Simulate(RequestContext ctx, Dictionary<string, object?> input, List<SimulatedPolicy> identity, string? source)
    {
        var actions = input.GetStrings("ActionNames");
        var resources = input.GetStrings("ResourceArns") is { Count: > 0 } given ? given : ["*"];
        var boundaries = Inputs(input.GetStrings("PermissionsBoundaryPolicyInputList"), "PermissionsBoundaryPolicyInputList", "IAM Policy");
        if (boundaries.Count == 0 && source is not null && PrincipalBoundary(ctx, source) is { } stored)
            boundaries.Add(new SimulatedPolicy(stored.Arn, "PermissionsBoundaryPolicy", Parse(stored.DefaultVersion.Document), stored.DefaultVersion.Document));
        var resourcePolicy = input.GetString("ResourcePolicy") is { } text ? Inputs([text], "ResourcePolicy", "Resource Policy")[0] : null;
        var caller = input.GetString("CallerArn") ?? source ?? $"arn:aws:iam::{ctx.AccountId}:user/simulated";
        var owner = input.GetString("ResourceOwner") is { } ownerArn ? AccountOf(ownerArn) : null;
        var context = ContextEntries(input);

        var results = new List<Dictionary<string, object?>>();
        foreach (var action in actions)
            foreach (var resource in resources)
                results.Add(Evaluate(ctx, action, resource, caller, owner, context, identity, boundaries, resourcePolicy, input.GetList("ResourceArns") is { Count: > 0 }));
        var index = 0;
        return Page(results.Select(r => (Key: (index++).ToString("D8", CultureInfo.InvariantCulture), Result: r)), r => r.Key, input, "EvaluationResults", r => r.Result);
    }

    private static Dictionary<string, object?> Evaluate(RequestContext ctx, string action, string resource, string caller, string? owner,
        Dictionary<string, IReadOnlyList<string>> context, List<SimulatedPolicy> identity, List<SimulatedPolicy> boundaries, SimulatedPolicy? resourcePolicy,
        bool resourceSpecific)
    {
        var request = new AuthorizationRequest
        {
            PrincipalArn = caller,
            PrincipalAccount = AccountOf(caller) ?? ctx.AccountId,
            Action = action,
            Resource = resource,
            ResourceAccount = owner,
            Context = context,
        };
        var matched = new List<MatchedStatement>();
        var result = PolicyEvaluator.Explain(request, new ApplicablePolicies
        {
            Identity = identity.ConvertAll(p => p.Document),
            Resource = resourcePolicy?.Document,
            // Several boundary inputs are simulated as one boundary whose statements are all of theirs.
            PermissionsBoundary = boundaries.Count == 0 ? null : new PolicyDocument { Statements = boundaries.SelectMany(b => b.Document.Statements).ToList() },
        }, matched);
        var decision = result.Decision switch
        {
            PolicyDecision.Allow => "allowed",
            PolicyDecision.ExplicitDeny => "explicitDeny",
            _ => "implicitDeny",
        };
        var evaluation = new Dictionary<string, object?>
        {
            ["EvalActionName"] = action,
            ["EvalResourceName"] = resource,
            ["EvalDecision"] = decision,
            ["MatchedStatements"] = matched.Select(m => (object?)MatchedStatementOut(SourceOf(m, identity, boundaries, resourcePolicy), m.Statement)).ToList(),
            ["MissingContextValues"] = MissingKeys(request, identity.Concat(boundaries).Append(resourcePolicy).OfType<SimulatedPolicy>()).Cast<object?>().ToList(),
        };
        if (boundaries.Count > 0)
            evaluation["PermissionsBoundaryDecisionDetail"] = new Dictionary<string, object?>
            {
                ["AllowedByPermissionsBoundary"] = !(result.By == PolicySource.PermissionsBoundary && result.Decision != PolicyDecision.Allow),
            };
        if (resourcePolicy is not null)
            evaluation["EvalDecisionDetails"] = new Dictionary<string, object?>
            {
                ["IAM Policy"] = result.By == PolicySource.Identity ? decision : "allowed",
                ["Resource Policy"] = result.By == PolicySource.Resource ? decision : matched.Any(m => m.Source == PolicySource.Resource) ? "allowed" : "implicitDeny",
            };
        // With ResourceArns, AWS also details the decision on the resource itself.
        if (resourceSpecific)
            evaluation["ResourceSpecificResults"] = new List<object?>
            {
                new Dictionary<string, object?>
                {
                    ["EvalResourceName"] = resource,
                    ["EvalResourceDecision"] = decision,
                    ["MatchedStatements"] = evaluation["MatchedStatements"],
                    ["MissingContextValues"] = evaluation["MissingContextValues"],
                    ["EvalDecisionDetails"] = evaluation.GetValueOrDefault("EvalDecisionDetails"),
                    ["PermissionsBoundaryDecisionDetail"] = evaluation.GetValueOrDefault("PermissionsBoundaryDecisionDetail"),
                },
            };
        return evaluation;
    }

    private static Dictionary<string, object?> MatchedStatementOut(SimulatedPolicy policy, PolicyStatement statement)
    {
        var output = new Dictionary<string, object?> { ["SourcePolicyId"] = policy.Id, ["SourcePolicyType"] = policy.Type };
        if (policy.PositionOf(statement) is var (start, end))
        {
            output["StartPosition"] = new Dictionary<string, object?> { ["Line"] = (long)start.Line, ["Column"] = (long)start.Column };
            output["EndPosition"] = new Dictionary<string, object?> { ["Line"] = (long)end.Line, ["Column"] = (long)end.Column };
        }
        return output;
    }

    private static SimulatedPolicy SourceOf(MatchedStatement m, List<SimulatedPolicy> identity, List<SimulatedPolicy> boundaries, SimulatedPolicy? resource) => m.Source switch
    {
        PolicySource.Resource => resource!,
        PolicySource.PermissionsBoundary => boundaries.Count == 1 ? boundaries[0] : FindStatement(boundaries, m.Statement),
        _ => identity[m.DocumentIndex],
    };

    private static SimulatedPolicy FindStatement(List<SimulatedPolicy> policies, PolicyStatement statement) =>
        policies.First(p => p.Document.Statements.Contains(statement));

    /// <summary>Condition keys of statements whose action and resource apply but whose values the simulation lacks.</summary>
    private static List<string> MissingKeys(AuthorizationRequest request, IEnumerable<SimulatedPolicy> policies)
    {
        var missing = new List<string>();
        foreach (var statement in policies.SelectMany(p => p.Document.Statements))
        {
            if (statement.Condition.Count == 0) continue;
            var unconditioned = new PolicyStatement
            {
                Effect = statement.Effect,
                EffectText = statement.EffectText,
                Action = statement.Action,
                NotAction = statement.NotAction,
                Resource = statement.Resource,
                NotResource = statement.NotResource,
            };
            if (!StatementMatcher.Applies(unconditioned, request, principalMatters: false)) continue;
            foreach (var key in statement.Condition.Values.SelectMany(k => k.Keys))
                if (request.Values(key) is null && !missing.Contains(key, StringComparer.OrdinalIgnoreCase)) missing.Add(key);
        }
        return missing;
    }

    /// <summary>ContextEntries as request context keys; typed values keep their text (dates, numbers, booleans, IPs).</summary>
    private static Dictionary<string, IReadOnlyList<string>> ContextEntries(Dictionary<string, object?> input)
    {
        var context = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in (input.GetValueOrDefault("ContextEntries") as List<object?>)?.OfType<Dictionary<string, object?>>() ?? [])
            if (entry.GetString("ContextKeyName") is { Length: > 0 } name)
                context[name] = entry.GetStrings("ContextKeyValues");
        return context;
    }

    private static List<SimulatedPolicy> Inputs(IReadOnlyList<string> documents, string list, string type)
    {
        var policies = new List<SimulatedPolicy>();
        for (var i = 0; i < documents.Count; i++)
        {
            try
            {
                policies.Add(new SimulatedPolicy(list == "ResourcePolicy" ? list : $"{list}.{i + 1}", type, PolicyDocument.Parse(documents[i]), documents[i]));
            }
            catch (PolicyDocumentException e)
            {
                throw IamErrors.Malformed(e.Message);
            }
        }
        return policies;
    }

    /// <summary>A user's own and its groups' policies, a group's or a role's, named as the simulator names them.</summary>
    private List<SimulatedPolicy> SimulatedPoliciesOf(RequestContext ctx, string arn)
    {
        var prefix = $"arn:aws:iam::{ctx.AccountId}:";
        var resource = arn.StartsWith(prefix, StringComparison.Ordinal) ? arn[prefix.Length..] : "";
        var name = resource[(resource.LastIndexOf('/') + 1)..];
        List<SimulatedPolicy> Of(string kind, List<InlinePolicy> inline, List<string> attached) =>
        [
            .. inline.Select(p => new SimulatedPolicy(p.PolicyName, kind, Parse(p.Document), p.Document)),
            .. attached.Select(a => FindPolicy(ctx, a)).OfType<PolicyRecord>().Select(p =>
                new SimulatedPolicy(p.PolicyName, p.Arn.StartsWith("arn:aws:iam::aws:", StringComparison.Ordinal) ? "aws-managed" : "user-managed", Parse(p.DefaultVersion.Document), p.DefaultVersion.Document)),
        ];
        if (resource.StartsWith("user/", StringComparison.Ordinal) && _store.Users.Get(Scope(ctx), name) is { } user && user.Arn == arn)
            return [.. Of("user", user.InlinePolicies, user.AttachedPolicies),
                .. user.Groups.Select(g => _store.Groups.Get(Scope(ctx), g)).OfType<GroupRecord>().SelectMany(g => Of("group", g.InlinePolicies, g.AttachedPolicies))];
        if (resource.StartsWith("group/", StringComparison.Ordinal) && _store.Groups.Get(Scope(ctx), name) is { } group && group.Arn == arn)
            return Of("group", group.InlinePolicies, group.AttachedPolicies);
        if (resource.StartsWith("role/", StringComparison.Ordinal) && _store.Roles.Get(Scope(ctx), name) is { } role && role.Arn == arn)
            return Of("role", role.InlinePolicies, role.AttachedPolicies);
        throw IamErrors.NoSuchEntity($"The principal with ARN {arn} cannot be found.");
    }

    private PolicyRecord? PrincipalBoundary(RequestContext ctx, string arn)
    {
        var name = arn[(arn.LastIndexOf('/') + 1)..];
        var boundary = arn.Contains(":user/", StringComparison.Ordinal) ? _store.Users.Get(Scope(ctx), name)?.PermissionsBoundary
            : arn.Contains(":role/", StringComparison.Ordinal) ? _store.Roles.Get(Scope(ctx), name)?.PermissionsBoundary : null;
        return boundary is null ? null : FindPolicy(ctx, boundary);
    }

    private static string? AccountOf(string arn) => arn.Split(':') is { Length: >= 6 } parts && parts[4].Length == 12 ? parts[4] : null;
}
