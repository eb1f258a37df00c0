using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Nephele.Services.Iam;

/// <summary>
/// The AWS managed policies users attach by ARN (arn:aws:iam::aws:policy/AdministratorAccess ...), with their
/// real documents, from an embedded resource. They are the same in every account and cannot be changed.
/// </summary>
internal static class AwsManagedPolicies
{
    public const string ArnPrefix = "arn:aws:iam::aws:policy";

    private static readonly Lazy<IReadOnlyDictionary<string, PolicyRecord>> Catalog = new(Load);

    /// <summary>Every AWS managed policy by ARN.</summary>
    public static IReadOnlyDictionary<string, PolicyRecord> ByArn => Catalog.Value;

    public static PolicyRecord? Find(string arn) => Catalog.Value.GetValueOrDefault(arn);

    private static Dictionary<string, PolicyRecord> Load()
    {
        using var stream = typeof(AwsManagedPolicies).Assembly.GetManifestResourceStream("Nephele.Services.Iam.AwsManagedPolicies.json")
            ?? throw new InvalidOperationException("The AWS managed policy resource is missing.");
        var entries = JsonSerializer.Deserialize(stream, IamJsonContext.Default.ListAwsManagedPolicyEntry) ?? [];
        return entries.Select(e => new PolicyRecord
        {
            PolicyName = e.PolicyName,
            PolicyId = StableId(e.PolicyName),
            Path = e.Path,
            Arn = ArnPrefix + e.Path + e.PolicyName,
            CreateDate = e.CreateDate,
            UpdateDate = e.UpdateDate,
            DefaultVersionId = e.DefaultVersionId,
            Versions = [new PolicyVersionRecord(e.DefaultVersionId, e.Document, e.UpdateDate)],
            AwsManaged = true,
        }).ToDictionary(p => p.Arn, StringComparer.Ordinal);
    }

    // The same id in every account and after every restart, as an AWS managed policy's id is.
    private static string StableId(string name)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        var id = new StringBuilder("ANPA");
        for (var i = 0; i < 17; i++) id.Append(alphabet[hash[i] % alphabet.Length]);
        return id.ToString();
    }
}
