using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.Lambda;

/// <summary>
/// For --enforce-iam: a request acts on its function (qualified by version or alias when it names one) under the
/// resource policy AddPermission built for that qualifier, which may grant other accounts, services or everyone; the
/// function's tags are aws:ResourceTag/*. What each operation needs is <see cref="LambdaAuthorization"/>.
/// </summary>
public sealed partial class LambdaProvider : IResourcePolicySource
{
    public IReadOnlyList<AuthorizationTarget> TargetsOf(RequestContext context, Dictionary<string, object?> input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var operation = context.Operation.Name;
        var action = LambdaAuthorization.ActionOf(operation);
        var keys = LambdaAuthorization.KeysOf(input);
        try
        {
            if (LambdaAuthorization.IsEventSourceMapping(operation))
            {
                if (input.GetString("FunctionName") is { Length: > 0 }) keys.Add("lambda:FunctionArn", ParseName(context, input).QualifiedArn);
                return [new AuthorizationTarget("*") { Action = action, Context = keys.Build() }];
            }
            if (input.GetString("FunctionName") is { Length: > 0 })
            {
                var f = ParseName(context, input);
                var function = _store.Function(f.Scope, f.Name);
                var statements = function?.Policies.GetValueOrDefault(f.Qualifier ?? "");
                var policy = statements is { Count: > 0 }
                    ? PolicyDocument.TryParse("{\"Version\":\"2012-10-17\",\"Statement\":[" + string.Join(",", statements.Select(s => s.Json)) + "]}", out _)
                    : null;
                keys.ResourceTags(function?.Tags);
                return [new AuthorizationTarget(f.QualifiedArn, policy, f.Scope.AccountId) { Action = action, Context = keys.Build() }];
            }
            if (input.GetString("Resource") is { Length: > 0 } resource)
            {
                // TagResource and friends name the function by ARN.
                var f = ParseName(context, new Dictionary<string, object?> { ["FunctionName"] = resource });
                keys.ResourceTags(_store.Function(f.Scope, f.Name)?.Tags);
                return [new AuthorizationTarget(f.QualifiedArn, null, f.Scope.AccountId) { Action = action, Context = keys.Build() }];
            }
        }
        catch (AwsException)
        {
            // A malformed function name is the handler's error to report.
            return [];
        }
        if (LambdaAuthorization.LayerOf(input, context.Region, context.AccountId) is { } layer)
            return [new AuthorizationTarget(layer) { Action = action, Context = keys.Build() }];
        return [new AuthorizationTarget("*") { Action = action, Context = keys.Build() }];
    }
}
