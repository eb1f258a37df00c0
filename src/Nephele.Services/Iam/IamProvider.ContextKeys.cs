using System.Text.RegularExpressions;
using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

/// <summary>The condition keys and policy variables that policies refer to (what a simulation would need values for).</summary>
public sealed partial class IamProvider
{
    private IEnumerable<(string, Handler)> ContextKeyHandlers() =>
    [
        ("GetContextKeysForCustomPolicy", GetContextKeysForCustomPolicy),
        ("GetContextKeysForPrincipalPolicy", GetContextKeysForPrincipalPolicy),
    ];

    private static Dictionary<string, object?> GetContextKeysForCustomPolicy(RequestContext ctx, Dictionary<string, object?> input) =>
        ContextKeys(input.GetStrings("PolicyInputList"));

    private Dictionary<string, object?> GetContextKeysForPrincipalPolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        var arn = Required(input, "PolicySourceArn");
        var documents = PrincipalPolicies(ctx, arn).ToList();
        documents.AddRange(input.GetStrings("PolicyInputList"));
        return ContextKeys(documents);
    }

    /// <summary>The documents of every policy a user (with its groups), group or role has, inline and attached.</summary>
    private IEnumerable<string> PrincipalPolicies(RequestContext ctx, string arn)
    {
        var prefix = $"arn:aws:iam::{ctx.AccountId}:";
        var resource = arn.StartsWith(prefix, StringComparison.Ordinal) ? arn[prefix.Length..] : "";
        var name = resource[(resource.LastIndexOf('/') + 1)..];
        IEnumerable<string> Of(List<InlinePolicy> inline, List<string> attached) =>
            inline.Select(p => p.Document).Concat(attached.Select(a => FindPolicy(ctx, a)).OfType<PolicyRecord>().Select(p => p.DefaultVersion.Document));
        if (resource.StartsWith("user/", StringComparison.Ordinal) && _store.Users.Get(Scope(ctx), name) is { } user && user.Arn == arn)
            return Of(user.InlinePolicies, user.AttachedPolicies)
                .Concat(user.Groups.Select(g => _store.Groups.Get(Scope(ctx), g)).OfType<GroupRecord>().SelectMany(g => Of(g.InlinePolicies, g.AttachedPolicies)));
        if (resource.StartsWith("group/", StringComparison.Ordinal) && _store.Groups.Get(Scope(ctx), name) is { } group && group.Arn == arn)
            return Of(group.InlinePolicies, group.AttachedPolicies);
        if (resource.StartsWith("role/", StringComparison.Ordinal) && _store.Roles.Get(Scope(ctx), name) is { } role && role.Arn == arn)
            return Of(role.InlinePolicies, role.AttachedPolicies);
        throw IamErrors.NoSuchEntity($"The principal with ARN {arn} cannot be found.");
    }

    private static Dictionary<string, object?> ContextKeys(IEnumerable<string> documents)
    {
        var keys = new List<string>();
        void Add(string key)
        {
            if (!keys.Contains(key, StringComparer.OrdinalIgnoreCase)) keys.Add(key);
        }
        foreach (var json in documents)
        {
            PolicyDocument document;
            try
            {
                document = PolicyDocument.Parse(json);
            }
            catch (PolicyDocumentException e)
            {
                throw IamErrors.InvalidInput(e.Message);
            }
            foreach (var statement in document.Statements)
            {
                foreach (var (_, conditions) in statement.Condition)
                    foreach (var (key, values) in conditions)
                    {
                        Add(key);
                        foreach (var value in values) Variables(value, Add);
                    }
                foreach (var resource in (statement.Resource ?? []).Concat(statement.NotResource ?? [])) Variables(resource, Add);
            }
        }
        return new() { ["ContextKeyNames"] = keys.Cast<object?>().ToList() };
    }

    // Policy variables such as ${aws:username} are context keys too (the literal ${*}, ${?} and ${$} are not).
    private static void Variables(string text, Action<string> add)
    {
        foreach (Match m in PolicyVariable().Matches(text)) add(m.Groups[1].Value);
    }

    [GeneratedRegex(@"\$\{([A-Za-z0-9-]+:[^}]+)\}")]
    private static partial Regex PolicyVariable();
}
