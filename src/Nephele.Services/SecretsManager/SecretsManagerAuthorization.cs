using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.SecretsManager;

/// <summary>
/// For --enforce-iam: Secrets Manager requests act on the secret they name (its full ARN with the random suffix, or
/// arn:aws:secretsmanager:region:account:secret:name for one that does not exist yet) as secretsmanager:&lt;Operation&gt;,
/// with the service's condition keys. BatchGetSecretValue also needs GetSecretValue on every secret it lists.
/// </summary>
internal static class SecretsManagerAuthorization
{
    /// <summary>The secret ids (names or ARNs) a request names.</summary>
    public static IReadOnlyList<string> SecretIdsOf(Dictionary<string, object?> input) =>
        input.GetString("SecretId") is { Length: > 0 } id ? [id]
        : input.GetString("Name") is { Length: > 0 } name ? [name]
        : (input.GetValueOrDefault("SecretIdList") as List<object?>)?.OfType<string>().ToList() ?? [];

    /// <summary>The ARN of a secret that does not exist (yet), as policies written against names match it.</summary>
    public static string ArnFor(string id, string region, string account) =>
        id.StartsWith("arn:", StringComparison.Ordinal) ? id : $"arn:aws:secretsmanager:{region}:{account}:secret:{id}";

    public static ConditionKeys KeysOf(Dictionary<string, object?> input, string secretId) => new ConditionKeys()
        .Add("secretsmanager:SecretId", secretId)
        .Add("secretsmanager:Name", input.GetString("Name"))
        .Add("secretsmanager:Description", input.GetString("Description"))
        .Add("secretsmanager:KmsKeyId", input.GetString("KmsKeyId"))
        .Add("secretsmanager:VersionId", input.GetString("VersionId"))
        .Add("secretsmanager:VersionStage", input.GetString("VersionStage"))
        .Add("secretsmanager:RotationLambdaARN", input.GetString("RotationLambdaARN"))
        .Add("secretsmanager:ForceDeleteWithoutRecovery", input.GetValueOrDefault("ForceDeleteWithoutRecovery") is true ? "true" : null)
        .Add("secretsmanager:RecoveryWindowInDays", input.GetValueOrDefault("RecoveryWindowInDays")?.ToString())
        .RequestTags(ConditionKeys.TagsOf(input.GetValueOrDefault("Tags")))
        .TagKeys((input.GetValueOrDefault("TagKeys") as List<object?>)?.OfType<string>().ToList());
}
