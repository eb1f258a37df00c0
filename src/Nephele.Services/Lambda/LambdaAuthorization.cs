using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.Lambda;

/// <summary>
/// For --enforce-iam: the IAM action of each Lambda operation (Invoke is lambda:InvokeFunction) and its condition
/// keys. Requests naming a function act on its ARN, qualified when the request names a version or alias; event
/// source mappings act on "*" with lambda:FunctionArn, as the Service Authorization Reference lists them.
/// </summary>
internal static class LambdaAuthorization
{
    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        ["Invoke"] = "lambda:InvokeFunction",
        ["InvokeWithResponseStream"] = "lambda:InvokeFunction",
        ["ListTags"] = "lambda:ListTags",
        ["GetLayerVersionByArn"] = "lambda:GetLayerVersion",
    };

    public static string ActionOf(string operation) => Actions.GetValueOrDefault(operation) ?? "lambda:" + operation;

    /// <summary>Event source mapping operations, authorized on "*" with the mapped function as lambda:FunctionArn.</summary>
    public static bool IsEventSourceMapping(string operation) => operation.EndsWith("EventSourceMapping", StringComparison.Ordinal);

    /// <summary>The layer ARN (arn:aws:lambda:region:account:layer:name[:version]) of a layer request, or null.</summary>
    public static string? LayerOf(Dictionary<string, object?> input, string region, string account)
    {
        if (input.GetString("Arn") is { Length: > 0 } arn) return arn;
        if (input.GetString("LayerName") is not { Length: > 0 } name) return null;
        var layer = name.StartsWith("arn:", StringComparison.Ordinal) ? name : $"arn:aws:lambda:{region}:{account}:layer:{name}";
        return input.GetValueOrDefault("VersionNumber") is { } version ? $"{layer}:{version}" : layer;
    }

    public static ConditionKeys KeysOf(Dictionary<string, object?> input) => new ConditionKeys()
        .RequestTags(ConditionKeys.TagsOf(input.GetValueOrDefault("Tags")))
        .TagKeys((input.GetValueOrDefault("TagKeys") as List<object?>)?.OfType<string>().ToList())
        .Add("lambda:Principal", input.GetString("Principal"))
        .Add("lambda:FunctionUrlAuthType", input.GetString("AuthType") ?? input.GetString("FunctionUrlAuthType"))
        .Add("lambda:Layer", (input.GetValueOrDefault("Layers") as List<object?>)?.OfType<string>().ToList())
        .Add("lambda:SourceFunctionArn", input.GetString("SourceFunctionArn"));
}
