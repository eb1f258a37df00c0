using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.Ssm;

/// <summary>
/// For --enforce-iam: Parameter Store requests act on their parameters (arn:aws:ssm:region:account:parameter/name,
/// the leading slash dropped), one authorization per name for GetParameters and DeleteParameters; GetParametersByPath
/// acts on the path. The parameter's tags are aws:ResourceTag/*. Parameters have no resource policies.
/// </summary>
public sealed partial class SsmProvider : IResourcePolicySource
{
    public IReadOnlyList<AuthorizationTarget> TargetsOf(RequestContext context, Dictionary<string, object?> input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var names = input.GetString("Name") is { Length: > 0 } name ? [name]
            : input.GetString("Path") is { Length: > 0 } path ? [path]
            : input.GetString("ResourceType") == "Parameter" && input.GetString("ResourceId") is { Length: > 0 } id ? [id]
            : (input.GetValueOrDefault("Names") as List<object?>)?.OfType<string>().ToList() ?? [];
        var targets = new List<AuthorizationTarget>(names.Count);
        foreach (var reference in names)
        {
            var parameter = ParameterNames.Split(reference).Name;
            var keys = new ConditionKeys()
                .Add("ssm:Overwrite", input.GetValueOrDefault("Overwrite") is bool overwrite ? overwrite ? "true" : "false" : null)
                .Add("ssm:Recursive", input.GetValueOrDefault("Recursive") is true ? "true" : null)
                .Add("ssm:Policies", input.GetString("Policies"))
                .RequestTags(ConditionKeys.TagsOf(input.GetValueOrDefault("Tags")))
                .TagKeys((input.GetValueOrDefault("TagKeys") as List<object?>)?.OfType<string>().ToList())
                .ResourceTags(_store.Get(context.Scope, parameter)?.Tags);
            targets.Add(new AuthorizationTarget(ParameterNames.Arn(context.Region, context.AccountId, parameter)) { Context = keys.Build() });
        }
        return targets;
    }
}
