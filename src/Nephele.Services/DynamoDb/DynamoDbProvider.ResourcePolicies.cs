using System.Globalization;
using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.DynamoDb;

/// <summary>
/// Resource-based policies of tables and streams: PutResourcePolicy (optimistic concurrency through
/// ExpectedRevisionId), GetResourcePolicy, DeleteResourcePolicy. A table's policy belongs to that table (keyed by its
/// TableId), so it goes with the table and a re-created table starts without one. With --enforce-iam the table's
/// policy is evaluated together with the caller's identity policies.
/// </summary>
public sealed partial class DynamoDbProvider
{
    private void RegisterResourcePolicies(OperationRegistry operations) => operations
        .On("PutResourcePolicy", PutResourcePolicy)
        .On("GetResourcePolicy", GetResourcePolicy)
        .On("DeleteResourcePolicy", DeleteResourcePolicy);

    private IResourceTable Policies => env.State.Table("dynamodb", "policies");

    /// <summary>The row key of a table's or stream's policy; the resource must exist.</summary>
    private string PolicyKey(RequestContext ctx, string arn)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "dynamodb" || !parts[5].StartsWith("table/", StringComparison.Ordinal))
            throw AwsException.Validation($"Invalid ResourceArn provided as input {arn}");
        var path = parts[5]["table/".Length..].Split('/');
        var notFound = new AwsException("ResourceNotFoundException", $"Requested resource not found: ResourceArn: {arn} not found");
        if (parts[3] != ctx.Region || parts[4] != ctx.AccountId || _store.Find(ctx.Scope, path[0]) is not { } table) throw notFound;
        if (path.Length == 1) return "table:" + table.TableId;
        if (path.Length == 3 && path[1] == "stream" && _store.Streams.Find(ctx.Scope, arn) is not null) return "stream:" + arn;
        throw notFound;
    }

    private ResourcePolicyRecord? PolicyOf(Scope scope, string key) => Policies.Get(scope, key, DynamoDbBackupJsonContext.Default.ResourcePolicyRecord);

    /// <summary>A table's policy for --enforce-iam, or null.</summary>
    private PolicyDocument? TablePolicy(Scope scope, TableRecord table) =>
        PolicyOf(scope, "table:" + table.TableId) is { } p ? PolicyDocument.TryParse(p.Policy, out _) : null;

    private static AwsException PolicyNotFound(string arn) =>
        new("PolicyNotFoundException", $"Resource-based policy not found for the provided ResourceArn: {arn}");

    private static void CheckRevision(string arn, ResourcePolicyRecord? current, string? expected)
    {
        if (expected is null) return;
        if (current is null) throw PolicyNotFound(arn);
        if (current.RevisionId != expected)
            throw new AwsException("PolicyNotFoundException",
                $"Resource-based policy not found for the provided ResourceArn: Requested update for policy with revision id {expected}, but the policy associated to target resource {arn} has revision id {current.RevisionId}.");
    }

    private Dictionary<string, object?> PutResourcePolicy(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var arn = input.RequireString("ResourceArn");
        var policy = input.RequireString("Policy");
        var key = PolicyKey(ctx, arn);
        if (System.Text.Encoding.UTF8.GetByteCount(policy) > 20 * 1024)
            throw new AwsException("LimitExceededException", "Resource-based policy size exceeds the maximum allowed size of 20 KB.");
        if (PolicyDocument.TryParse(policy, out var error) is null)
            throw AwsException.Validation($"Invalid policy document: {error}");
        var current = PolicyOf(ctx.Scope, key);
        CheckRevision(arn, current, input.GetString("ExpectedRevisionId"));
        var revision = Math.Max(ctx.Now.ToUnixTimeMilliseconds(), long.TryParse(current?.RevisionId, out var last) ? last + 1 : 0)
            .ToString(CultureInfo.InvariantCulture);
        Policies.Put(ctx.Scope, key, new ResourcePolicyRecord(policy, revision), DynamoDbBackupJsonContext.Default.ResourcePolicyRecord);
        return new Dictionary<string, object?> { ["RevisionId"] = revision };
    });

    private Dictionary<string, object?> GetResourcePolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        var arn = input.RequireString("ResourceArn");
        var policy = PolicyOf(ctx.Scope, PolicyKey(ctx, arn)) ?? throw PolicyNotFound(arn);
        return new() { ["Policy"] = policy.Policy, ["RevisionId"] = policy.RevisionId };
    }

    private Dictionary<string, object?> DeleteResourcePolicy(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var arn = input.RequireString("ResourceArn");
        var key = PolicyKey(ctx, arn);
        var current = PolicyOf(ctx.Scope, key) ?? throw PolicyNotFound(arn);
        CheckRevision(arn, current, input.GetString("ExpectedRevisionId"));
        Policies.Delete(ctx.Scope, key);
        return new Dictionary<string, object?> { ["RevisionId"] = current.RevisionId };
    });
}
