using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.DynamoDb.Model;
using Nephele.Services.S3;

namespace Nephele.Services.DynamoDb;

/// <summary>
/// ExportTableToPointInTime, DescribeExport, ListExports: a full export writes the table as it was at ExportTime to
/// Nephele's own S3, in AWS's layout — <c>{prefix}/AWSDynamoDB/{exportId}/_started</c>, <c>data/{random}.json.gz</c> (or
/// <c>.ion.gz</c>), <c>manifest-files.json</c>, <c>manifest-summary.json</c> and their <c>.md5</c> files — before the call
/// returns. The response says IN_PROGRESS, as AWS's does; DescribeExport then says COMPLETED, or FAILED with S3's error.
/// </summary>
public sealed partial class DynamoDbProvider
{
    private const int ItemsPerDataFile = 10_000;
    private S3Provider.InProcessObjects? _s3;

    private S3Provider.InProcessObjects S3Objects => _s3 ??= new S3Provider.InProcessObjects(env);

    private void RegisterExports(OperationRegistry operations) => operations
        .On("ExportTableToPointInTime", ExportTableToPointInTime)
        .On("DescribeExport", DescribeExport)
        .On("ListExports", ListExports);

    private async ValueTask<Dictionary<string, object?>> ExportTableToPointInTime(RequestContext ctx, Dictionary<string, object?> input)
    {
        var tableArn = input.RequireString("TableArn");
        var bucket = input.RequireString("S3Bucket");
        var format = input.GetString("ExportFormat") ?? "DYNAMODB_JSON";
        var type = input.GetString("ExportType") ?? "FULL_EXPORT";
        if (type != "FULL_EXPORT")
            throw AwsException.Validation("Nephele supports ExportType FULL_EXPORT only; INCREMENTAL_EXPORT is not supported yet");
        var sse = input.GetString("S3SseAlgorithm") ?? "AES256";
        if (sse == "AES256" && input.GetString("S3SseKmsKeyId") is not null)
            throw AwsException.Validation("S3SseKmsKeyId can only be specified when S3SseAlgorithm is KMS");
        var table = _store.Find(ctx.Scope, TableNames.Resolve(ctx.Scope, tableArn)!)
            ?? throw new AwsException("TableNotFoundException", $"Table not found: {tableArn}");
        var hash = RequestHash.Of(input);
        var token = input.GetString("ClientToken");
        if (token is not null && _backups.Exports(ctx.Scope).FirstOrDefault(e => e.ClientToken == token && e.TableArn == table.TableArn) is { } seen)
            return seen.RequestHash == hash ? new() { ["ExportDescription"] = ExportDescription(seen) }
                : throw new AwsException("ExportConflictException", $"An export with client token {token} and different parameters already exists");
        if (!table.PointInTimeRecoveryEnabled)
            throw new AwsException("PointInTimeRecoveryUnavailableException", $"Point in time recovery is not enabled for table '{table.TableName}'");
        var (earliest, _) = RestorableWindow(table, ctx.Now);
        var at = input.GetValueOrDefault("ExportTime") as DateTimeOffset? ?? ctx.Now;
        if (at < earliest || at > ctx.Now)
            throw new AwsException("InvalidExportTimeException", "The specified ExportTime is outside of the point in time recovery window.");
        var id = BackupStore.RunId(ctx.Now);
        var prefix = input.GetString("S3Prefix");
        var export = new ExportRecord
        {
            ExportArn = $"{table.TableArn}/export/{id}",
            ExportStatus = "IN_PROGRESS",
            StartTime = ctx.Now,
            ExportTime = at,
            TableArn = table.TableArn,
            TableId = table.TableId,
            ClientToken = token ?? Guid.NewGuid().ToString(),
            S3Bucket = bucket,
            S3BucketOwner = input.GetString("S3BucketOwner"),
            S3Prefix = prefix,
            S3SseAlgorithm = sse,
            S3SseKmsKeyId = input.GetString("S3SseKmsKeyId"),
            ExportFormat = format,
            ExportType = type,
            RequestHash = hash,
        };
        _backups.PutExport(ctx.Scope, export);
        var response = ExportDescription(export);
        var (rows, stats) = _store.Transaction(() => (_store.History.ItemsAt(ctx.Scope, table, _store.Items(table), at), _store.Stats(ctx.Scope, table)));
        try
        {
            export = await WriteExport(ctx, export, id, rows) with { BilledSizeBytes = stats.SizeBytes };
        }
        catch (AwsException e)
        {
            export = export with { ExportStatus = "FAILED", EndTime = ctx.Now, FailureCode = "S3" + e.Code, FailureMessage = e.Message };
        }
        _backups.PutExport(ctx.Scope, export);
        return new() { ["ExportDescription"] = response };
    }

    private async Task<ExportRecord> WriteExport(RequestContext ctx, ExportRecord export, string id, List<KeyValuePair<string, byte[]>> rows)
    {
        var root = (string.IsNullOrEmpty(export.S3Prefix) ? "" : export.S3Prefix.TrimEnd('/') + "/") + $"AWSDynamoDB/{id}/";
        Task<string> Put(string key, byte[] body) => S3Objects.PutAsync(ctx.Scope, export.S3Bucket, key, body, export.S3BucketOwner,
            export.S3SseAlgorithm == "KMS" ? "aws:kms" : "AES256", export.S3SseKmsKeyId, ctx.Aborted);
        await Put(root + "_started", []);
        var extension = export.ExportFormat == "ION" ? ".ion.gz" : ".json.gz";
        var manifestFiles = new StringBuilder();
        for (var start = 0; start < rows.Count; start += ItemsPerDataFile)
        {
            var chunk = rows.Skip(start).Take(ItemsPerDataFile).ToList();
            using var buffer = new MemoryStream();
            await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
                foreach (var (_, bytes) in chunk)
                {
                    var item = ItemCodec.Decode(bytes);
                    if (export.ExportFormat == "ION") ExportFormats.WriteIonLine(gzip, item);
                    else ExportFormats.WriteJsonLine(gzip, item);
                }
            var body = buffer.ToArray();
            var key = root + "data/" + RandomName() + extension;
            var etag = await Put(key, body);
            manifestFiles.Append(JsonLine(w =>
            {
                w.WriteNumber("itemCount", chunk.Count);
                w.WriteString("md5Checksum", Convert.ToBase64String(MD5.HashData(body)));
                w.WriteString("etag", etag.Trim('"'));
                w.WriteString("dataFileS3Key", key);
            }));
        }
        var filesBody = Encoding.UTF8.GetBytes(manifestFiles.ToString());
        await Put(root + "manifest-files.json", filesBody);
        await Put(root + "manifest-files.md5", Encoding.UTF8.GetBytes(Convert.ToBase64String(MD5.HashData(filesBody))));
        var done = export with
        {
            ExportStatus = "COMPLETED",
            EndTime = ctx.Now,
            ItemCount = rows.Count,
            ExportManifest = root + "manifest-summary.json",
        };
        var summary = Encoding.UTF8.GetBytes(JsonLine(w =>
        {
            w.WriteString("version", "2020-06-30");
            w.WriteString("exportArn", done.ExportArn);
            w.WriteString("startTime", done.StartTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("endTime", done.EndTime!.Value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("tableArn", done.TableArn);
            w.WriteString("tableId", done.TableId);
            w.WriteString("exportTime", done.ExportTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("s3Bucket", done.S3Bucket);
            if (done.S3Prefix is null) w.WriteNull("s3Prefix");
            else w.WriteString("s3Prefix", done.S3Prefix);
            w.WriteString("s3SseAlgorithm", done.S3SseAlgorithm);
            if (done.S3SseKmsKeyId is null) w.WriteNull("s3SseKmsKeyId");
            else w.WriteString("s3SseKmsKeyId", done.S3SseKmsKeyId);
            w.WriteString("manifestFilesS3Key", root + "manifest-files.json");
            w.WriteNumber("billedSizeBytes", done.BilledSizeBytes);
            w.WriteNumber("itemCount", done.ItemCount);
            w.WriteString("outputFormat", done.ExportFormat);
            w.WriteString("exportType", done.ExportType);
        }));
        await Put(root + "manifest-summary.json", summary);
        await Put(root + "manifest-summary.md5", Encoding.UTF8.GetBytes(Convert.ToBase64String(MD5.HashData(summary))));
        return done;
    }

    /// <summary>One JSON object on its own line.</summary>
    private static string JsonLine(Action<Utf8JsonWriter> members)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            members(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Data files are named by 26 random lower-case base-32 characters, as AWS names them.</summary>
    private static string RandomName()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        return string.Create(26, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        });
    }

    private Dictionary<string, object?> DescribeExport(RequestContext ctx, Dictionary<string, object?> input)
    {
        var arn = input.RequireString("ExportArn");
        var export = _backups.Export(ctx.Scope, arn) ?? throw new AwsException("ExportNotFoundException", $"Export not found: {arn}");
        return new() { ["ExportDescription"] = ExportDescription(export) };
    }

    private Dictionary<string, object?> ListExports(RequestContext ctx, Dictionary<string, object?> input)
    {
        var max = input.GetInt("MaxResults") ?? 25;
        if (max is < 1 or > 25)
            throw AwsException.Validation($"1 validation error detected: Value '{max}' at 'maxResults' failed to satisfy constraint: Member must have value {(max < 1 ? "greater than or equal to 1" : "less than or equal to 25")}");
        var tableArn = input.GetString("TableArn");
        var after = PageToken.Resume(input.GetString("NextToken"), () => AwsException.Validation("Invalid NextToken"));
        var page = _backups.Exports(ctx.Scope)
            .Where(e => tableArn is null || e.TableArn == tableArn)
            .Where(e => after is null || KeyOrder.Compare(e.ExportArn, after) > 0)
            .Take(max + 1).ToList();
        var output = new Dictionary<string, object?>
        {
            ["ExportSummaries"] = page.Take(max).Select(e => (object?)new Dictionary<string, object?>
            {
                ["ExportArn"] = e.ExportArn,
                ["ExportStatus"] = e.ExportStatus,
                ["ExportType"] = e.ExportType,
            }).ToList(),
        };
        if (page.Count > max) output["NextToken"] = PageToken.After(page[max - 1].ExportArn);
        return output;
    }

    private static Dictionary<string, object?> ExportDescription(ExportRecord e)
    {
        var d = new Dictionary<string, object?>
        {
            ["ExportArn"] = e.ExportArn,
            ["ExportStatus"] = e.ExportStatus,
            ["StartTime"] = e.StartTime,
            ["TableArn"] = e.TableArn,
            ["TableId"] = e.TableId,
            ["ExportTime"] = e.ExportTime,
            ["ClientToken"] = e.ClientToken,
            ["S3Bucket"] = e.S3Bucket,
            ["S3SseAlgorithm"] = e.S3SseAlgorithm,
            ["ExportFormat"] = e.ExportFormat,
            ["ExportType"] = e.ExportType,
        };
        if (e.EndTime is { } end) d["EndTime"] = end;
        if (e.S3BucketOwner is not null) d["S3BucketOwner"] = e.S3BucketOwner;
        if (e.S3Prefix is not null) d["S3Prefix"] = e.S3Prefix;
        if (e.S3SseKmsKeyId is not null) d["S3SseKmsKeyId"] = e.S3SseKmsKeyId;
        if (e.ExportStatus == "COMPLETED")
        {
            d["ExportManifest"] = e.ExportManifest;
            d["BilledSizeBytes"] = e.BilledSizeBytes;
            d["ItemCount"] = e.ItemCount;
        }
        if (e.FailureCode is not null)
        {
            d["FailureCode"] = e.FailureCode;
            d["FailureMessage"] = e.FailureMessage;
        }
        return d;
    }
}
