using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.S3;

/// <summary>
/// The configurations a bucket holds several of, each under its own id: intelligent tiering, inventory,
/// metrics and analytics. Put/Get/Delete by id (NoSuchConfiguration when absent), List in id order, 100 a page.
/// </summary>
public sealed partial class S3Provider
{
    private const int ConfigurationsPerPage = 100;

    private void RegisterConfigurationsById(OperationRegistry operations)
    {
        RegisterById(operations, "IntelligentTiering", "IntelligentTieringConfiguration", 1000, ValidateIntelligentTiering);
        RegisterById(operations, "Inventory", "InventoryConfiguration", 1000, ValidateInventory);
        RegisterById(operations, "Metrics", "MetricsConfiguration", 1000, _ => { });
        RegisterById(operations, "Analytics", "AnalyticsConfiguration", 1000, ValidateAnalytics);
    }

    /// <summary>Put/Get/Delete/List{Bucket}&lt;kind&gt;Configuration(s) over rows "&lt;bucket&gt;/&lt;kind&gt;/&lt;id&gt;".</summary>
    private void RegisterById(OperationRegistry operations, string kind, string payload, int max, Action<Dictionary<string, object?>> validate)
    {
        operations.On($"PutBucket{kind}Configuration", (ctx, input) =>
        {
            var bucket = RequireBucket(ctx, input);
            var id = input.RequireString("Id");
            var doc = input.GetStruct(payload) ?? throw S3ConfigErrors.MalformedXml();
            if (doc.GetString("Id") != id) throw S3ConfigErrors.InvalidArgument("Configuration Id in the request does not match the Id in the body.");
            if (id.Length > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                throw S3ConfigErrors.InvalidArgument("The configuration ID is not valid.");
            validate(doc);
            if (!_configs.Exists(bucket.Name, kind + "/" + id) && _configs.CountOf(bucket.Name, kind) >= max)
                throw new AwsException("TooManyConfigurations", $"You are attempting to create a new configuration but have already reached the {max}-configuration limit.", 400);
            _configs.Put(bucket.Name, kind + "/" + id, doc);
            return [];
        });
        operations.On($"GetBucket{kind}Configuration", (ctx, input) => new()
        {
            [payload] = _configs.Get(RequireBucket(ctx, input).Name, kind + "/" + input.RequireString("Id")) ?? throw S3ConfigErrors.NoSuchConfiguration(),
        });
        operations.On($"DeleteBucket{kind}Configuration", (ctx, input) =>
        {
            if (!_configs.Delete(RequireBucket(ctx, input).Name, kind + "/" + input.RequireString("Id"))) throw S3ConfigErrors.NoSuchConfiguration();
            return [];
        });
        operations.On($"ListBucket{kind}Configurations", (ctx, input) =>
        {
            var bucket = RequireBucket(ctx, input);
            var token = input.GetString("ContinuationToken");
            var after = PageToken.Resume(token, () => S3ConfigErrors.InvalidArgument("The continuation token provided is incorrect"));
            var rows = _configs.List(bucket.Name, kind, after, ConfigurationsPerPage + 1);
            var page = rows.Take(ConfigurationsPerPage).ToList();
            var output = new Dictionary<string, object?>
            {
                ["IsTruncated"] = rows.Count > ConfigurationsPerPage,
                [payload + "List"] = page.Select(r => (object?)r.Document).ToList(),
            };
            if (token is not null) output["ContinuationToken"] = token;
            if (rows.Count > ConfigurationsPerPage) output["NextContinuationToken"] = PageToken.After(page[^1].Id);
            return output;
        });
    }

    private static void ValidateIntelligentTiering(Dictionary<string, object?> doc)
    {
        if (doc.GetString("Status") is not ("Enabled" or "Disabled")) throw S3ConfigErrors.MalformedXml();
        var tierings = doc.GetList("Tierings")?.OfType<Dictionary<string, object?>>().ToList() ?? [];
        if (tierings.Count == 0) throw S3ConfigErrors.MalformedXml();
        var tiers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tiering in tierings)
        {
            var tier = tiering.GetString("AccessTier");
            var days = tiering.GetLong("Days") ?? throw S3ConfigErrors.MalformedXml();
            var (min, max) = tier switch
            {
                "ARCHIVE_ACCESS" => (90, 730),
                "DEEP_ARCHIVE_ACCESS" => (180, 730),
                _ => throw S3ConfigErrors.MalformedXml(),
            };
            if (!tiers.Add(tier)) throw S3ConfigErrors.InvalidArgument("Only one tiering per access tier is allowed.");
            if (days < min || days > max)
                throw S3ConfigErrors.InvalidArgument($"{(tier == "ARCHIVE_ACCESS" ? "ArchiveConfiguration" : "DeepArchiveConfiguration")} number of days must be between {min} and {max} days");
        }
    }

    private static void ValidateInventory(Dictionary<string, object?> doc)
    {
        var destination = doc.GetStruct("Destination")?.GetStruct("S3BucketDestination") ?? throw S3ConfigErrors.MalformedXml();
        if (destination.GetString("Bucket") is not { } arn || !arn.StartsWith("arn:aws:s3:::", StringComparison.Ordinal) || arn.Length == "arn:aws:s3:::".Length)
            throw S3ConfigErrors.InvalidArgument("Invalid bucket ARN.");
        if (destination.GetString("Format") is not ("CSV" or "ORC" or "Parquet")) throw S3ConfigErrors.MalformedXml();
        if (doc.GetBool("IsEnabled") is null) throw S3ConfigErrors.MalformedXml();
        if (doc.GetString("IncludedObjectVersions") is not ("All" or "Current")) throw S3ConfigErrors.MalformedXml();
        if (doc.GetStruct("Schedule")?.GetString("Frequency") is not ("Daily" or "Weekly")) throw S3ConfigErrors.MalformedXml();
    }

    private static void ValidateAnalytics(Dictionary<string, object?> doc)
    {
        var analysis = doc.GetStruct("StorageClassAnalysis") ?? throw S3ConfigErrors.MalformedXml();
        if (analysis.GetStruct("DataExport") is { } export)
        {
            if (export.GetString("OutputSchemaVersion") != "V_1") throw S3ConfigErrors.MalformedXml();
            var arn = export.GetStruct("Destination")?.GetStruct("S3BucketDestination")?.GetString("Bucket");
            if (arn is null || !arn.StartsWith("arn:aws:s3:::", StringComparison.Ordinal)) throw S3ConfigErrors.InvalidArgument("Invalid bucket ARN.");
        }
    }
}
