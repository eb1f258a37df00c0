using System.Globalization;
using System.Text.Json;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.SecretsManager;

public sealed partial class SecretsManagerProvider
{
    private Dictionary<string, object?> ListSecretVersionIds(RequestContext ctx, Dictionary<string, object?> input)
    {
        var record = Find(ctx, input.RequireString("SecretId"));
        var limit = input.GetInt("MaxResults") ?? 100;
        if (limit is < 1 or > 100)
            throw AwsException.Validation($"1 validation error detected: Value '{limit}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100");
        // Versions without a staging label are "deprecated": listed only on request.
        var versions = record.Versions.Where(v => v.Stages.Count > 0 || (input.GetBool("IncludeDeprecated") ?? false)).ToList();
        var start = Offset(input.GetString("NextToken"));
        var page = versions.Skip(start).Take(limit).Select(v => (object?)new Dictionary<string, object?>
        {
            ["VersionId"] = v.VersionId,
            ["VersionStages"] = Strings(v.Stages),
            ["CreatedDate"] = v.CreatedDate,
            ["KmsKeyIds"] = Strings([record.KmsKeyId ?? "DefaultEncryptionKey"]),
        }).ToList();
        return new()
        {
            ["Versions"] = page,
            ["NextToken"] = start + limit < versions.Count ? (start + limit).ToString(CultureInfo.InvariantCulture) : null,
            ["ARN"] = record.Arn,
            ["Name"] = record.Name,
        };
    }

    private Dictionary<string, object?> BatchGetSecretValue(RequestContext ctx, Dictionary<string, object?> input)
    {
        var ids = input.GetStrings("SecretIdList");
        var hasFilters = input.GetList("Filters") is { Count: > 0 };
        if (ids.Count > 0 == hasFilters)
            throw InvalidParameter("Either SecretIdList or Filters must be provided, but not both.");
        if (hasFilters)
        {
            // Filters select secrets exactly as ListSecrets does, and page the same way.
            var listed = ListSecrets(ctx, new(input) { ["IncludePlannedDeletion"] = false, ["MaxResults"] = input.GetInt("MaxResults") ?? 20 });
            var values = new List<object?>();
            foreach (var entry in (List<object?>)listed["SecretList"]!)
            {
                var record = Find(ctx, (string)((Dictionary<string, object?>)entry!)["Name"]!);
                if (record.WithStage(Current) is { } version) values.Add(ValueOf(ctx, record, version));
            }
            return new() { ["SecretValues"] = values, ["Errors"] = new List<object?>(), ["NextToken"] = listed["NextToken"] };
        }
        if (ids.Count > 20) throw InvalidParameter("SecretIdList can contain at most 20 secret IDs.");
        var found = new List<object?>();
        var errors = new List<object?>();
        foreach (var id in ids)
        {
            try
            {
                var record = Live(ctx, id);
                var version = record.WithStage(Current)
                    ?? throw NotFound($"Secrets Manager can't find the specified secret value for staging label: {Current}");
                found.Add(ValueOf(ctx, record, version));
            }
            catch (AwsException e)
            {
                // One unreadable secret does not fail the batch: AWS reports it beside the others.
                errors.Add(new Dictionary<string, object?> { ["SecretId"] = id, ["ErrorCode"] = e.Code, ["Message"] = e.Message });
            }
        }
        return new() { ["SecretValues"] = found, ["Errors"] = errors };
    }

    private static int Offset(string? token) =>
        token is null ? 0
            : int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : throw new AwsException("InvalidNextTokenException", "The NextToken value is invalid.");
}
