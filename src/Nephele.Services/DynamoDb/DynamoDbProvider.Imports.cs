using System.IO.Compression;
using System.Text;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb;

/// <summary>
/// ImportTable, DescribeImport, ListImports: an import reads every object under the S3 prefix from Nephele's own S3,
/// decompresses it (GZIP, ZSTD or NONE), creates the table from TableCreationParameters and writes the items — all before the call returns. The response says
/// IN_PROGRESS and the table CREATING, as AWS's do; DescribeImport then says COMPLETED with the counts (lines DynamoDB
/// would reject count in ErrorCount and are skipped), or FAILED with S3's error, in which case no table is created.
/// </summary>
public sealed partial class DynamoDbProvider
{
    private void RegisterImports(OperationRegistry operations) => operations
        .On("ImportTable", ImportTable)
        .On("DescribeImport", DescribeImport)
        .On("ListImports", ListImports);

    private async ValueTask<Dictionary<string, object?>> ImportTable(RequestContext ctx, Dictionary<string, object?> input)
    {
        var source = input.GetStruct("S3BucketSource") ?? throw Missing("s3BucketSource");
        var format = input.GetString("InputFormat") ?? throw Missing("inputFormat");
        if (format is not ("CSV" or "DYNAMODB_JSON" or "ION"))
            throw AwsException.Validation($"1 validation error detected: Value '{format}' at 'inputFormat' failed to satisfy constraint: Member must satisfy enum value set: [DYNAMODB_JSON, ION, CSV]");
        var compression = input.GetString("InputCompressionType") ?? "NONE";
        if (compression is not ("GZIP" or "ZSTD" or "NONE"))
            throw AwsException.Validation($"1 validation error detected: Value '{compression}' at 'inputCompressionType' failed to satisfy constraint: Member must satisfy enum value set: [GZIP, ZSTD, NONE]");
        var csv = input.GetStruct("InputFormatOptions")?.GetStruct("Csv");
        if (csv is not null && format != "CSV")
            throw AwsException.Validation("InputFormatOptions can only be specified when InputFormat is CSV");
        var delimiter = csv?.GetString("Delimiter") ?? ",";
        if (delimiter.Length != 1 || delimiter[0] is not (',' or '\t' or ':' or ';' or '|' or ' '))
            throw AwsException.Validation($"Invalid Delimiter: {delimiter}");
        var headers = csv?.GetStrings("HeaderList").ToList() is { Count: > 0 } h ? h : null;
        var parameters = input.GetStruct("TableCreationParameters") ?? throw Missing("tableCreationParameters");
        var table = NewTable(ctx, parameters);
        var bucket = source.RequireString("S3Bucket");
        var owner = source.GetString("S3BucketOwner");
        var hash = RequestHash.Of(input);
        var token = input.GetString("ClientToken");
        if (token is not null && _backups.Imports(ctx.Scope).FirstOrDefault(i => i.ClientToken == token) is { } seen)
            return seen.RequestHash == hash ? new() { ["ImportTableDescription"] = ImportDescription(seen) }
                : throw new AwsException("ImportConflictException", $"An import with client token {token} and different parameters already exists");
        if (_store.Find(ctx.Scope, table.TableName) is not null) throw InUse($"Table already exists: {table.TableName}");

        var import = new ImportRecord
        {
            ImportArn = $"{table.TableArn}/import/{BackupStore.RunId(ctx.Now)}",
            ImportStatus = "IN_PROGRESS",
            TableArn = table.TableArn,
            TableId = table.TableId,
            ClientToken = token ?? Guid.NewGuid().ToString(),
            S3Bucket = bucket,
            S3BucketOwner = owner,
            S3KeyPrefix = source.GetString("S3KeyPrefix"),
            InputFormat = format,
            CsvDelimiter = csv is null ? null : delimiter,
            CsvHeaderList = headers,
            InputCompressionType = compression,
            Table = table,
            CloudWatchLogGroupArn = $"arn:aws:logs:{ctx.Region}:{ctx.AccountId}:log-group:/aws-dynamodb/imports:*",
            StartTime = ctx.Now,
            RequestHash = hash,
        };
        var response = ImportDescription(import);
        var items = new List<Dictionary<string, AttributeValue>>();
        long processedBytes = 0, processed = 0, errors = 0;
        try
        {
            foreach (var (key, _) in S3Objects.List(ctx.Scope, bucket, import.S3KeyPrefix ?? "", owner, ctx.Aborted))
            {
                var body = await S3Objects.ReadAsync(ctx.Scope, bucket, key, owner, ctx.Aborted);
                processedBytes += body.Length;
                var text = Decompress(body, compression);
                var lines = format switch
                {
                    "DYNAMODB_JSON" => ImportFormats.DynamoDbJson(text),
                    "ION" => ImportFormats.Ion(text),
                    _ => ImportFormats.Csv(text, delimiter[0], headers, table),
                };
                foreach (var (item, error) in lines)
                {
                    processed++;
                    if (item is null || error is not null || ImportError(table, item) is not null) errors++;
                    else items.Add(item);
                }
            }
        }
        catch (AwsException e) when (e.Code is not "ValidationException")
        {
            _backups.PutImport(ctx.Scope, import with { ImportStatus = "FAILED", EndTime = ctx.Now, FailureCode = "S3" + e.Code, FailureMessage = e.Message });
            return new() { ["ImportTableDescription"] = response };
        }
        catch (Exception e) when (e is InvalidDataException or ZstdSharp.ZstdException)
        {
            _backups.PutImport(ctx.Scope, import with { ImportStatus = "FAILED", EndTime = ctx.Now, FailureCode = "InvalidCompression", FailureMessage = e.Message });
            return new() { ["ImportTableDescription"] = response };
        }
        _store.Transaction(() =>
        {
            if (!_store.Add(ctx.Scope, table)) throw InUse($"Table already exists: {table.TableName}");
            foreach (var item in items)
            {
                var rowKey = ItemKeys.RowKeyOfItem(table, item);
                _store.WriteItem(ctx.Scope, table, rowKey, _store.GetItem(ctx.Scope, table, rowKey), item);
            }
            _backups.PutImport(ctx.Scope, import with
            {
                ImportStatus = "COMPLETED",
                EndTime = ctx.Now,
                ProcessedSizeBytes = processedBytes,
                ProcessedItemCount = processed,
                ImportedItemCount = items.Count,
                ErrorCount = errors,
            });
            return 0;
        });
        return new() { ["ImportTableDescription"] = response };
    }

    private static AwsException Missing(string member) =>
        AwsException.Validation($"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");

    /// <summary>Why DynamoDB would refuse the item (a missing or mistyped key attribute, over 400 KB), or null.</summary>
    private static string? ImportError(TableRecord table, Dictionary<string, AttributeValue> item)
    {
        foreach (var key in table.KeySchema)
        {
            if (!item.TryGetValue(key.AttributeName, out var value)) return $"Missing key attribute {key.AttributeName}";
            if (value.Type.ToString() != table.AttributeType(key.AttributeName)) return $"Key attribute {key.AttributeName} has the wrong type";
            if (value.Type == AttributeType.S && value.S!.Length == 0 || value.Type == AttributeType.B && value.B!.Length == 0)
                return $"Key attribute {key.AttributeName} is empty";
        }
        return ItemSize.Of(item) > 400 * 1024 ? "Item size has exceeded the maximum allowed size" : null;
    }

    private static string Decompress(byte[] body, string compression)
    {
        if (compression == "NONE") return Encoding.UTF8.GetString(body);
        using Stream input = compression == "ZSTD"
            ? new ZstdSharp.DecompressionStream(new MemoryStream(body))
            : new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private Dictionary<string, object?> DescribeImport(RequestContext ctx, Dictionary<string, object?> input)
    {
        var arn = input.RequireString("ImportArn");
        var import = _backups.Import(ctx.Scope, arn) ?? throw new AwsException("ImportNotFoundException", $"Import not found: {arn}");
        return new() { ["ImportTableDescription"] = ImportDescription(import) };
    }

    private Dictionary<string, object?> ListImports(RequestContext ctx, Dictionary<string, object?> input)
    {
        var size = input.GetInt("PageSize") ?? 25;
        if (size is < 1 or > 25)
            throw AwsException.Validation($"1 validation error detected: Value '{size}' at 'pageSize' failed to satisfy constraint: Member must have value {(size < 1 ? "greater than or equal to 1" : "less than or equal to 25")}");
        var tableArn = input.GetString("TableArn");
        var after = PageToken.Resume(input.GetString("NextToken"), () => AwsException.Validation("Invalid NextToken"));
        var page = _backups.Imports(ctx.Scope)
            .Where(i => tableArn is null || i.TableArn == tableArn)
            .Where(i => after is null || KeyOrder.Compare(i.ImportArn, after) > 0)
            .Take(size + 1).ToList();
        var output = new Dictionary<string, object?>
        {
            ["ImportSummaryList"] = page.Take(size).Select(i =>
            {
                var d = new Dictionary<string, object?>
                {
                    ["ImportArn"] = i.ImportArn,
                    ["ImportStatus"] = i.ImportStatus,
                    ["TableArn"] = i.TableArn,
                    ["S3BucketSource"] = BucketSource(i),
                    ["CloudWatchLogGroupArn"] = i.CloudWatchLogGroupArn,
                    ["InputFormat"] = i.InputFormat,
                    ["StartTime"] = i.StartTime,
                };
                if (i.EndTime is { } end) d["EndTime"] = end;
                return (object?)d;
            }).ToList(),
        };
        if (page.Count > size) output["NextToken"] = PageToken.After(page[size - 1].ImportArn);
        return output;
    }

    private static Dictionary<string, object?> BucketSource(ImportRecord i)
    {
        var d = new Dictionary<string, object?> { ["S3Bucket"] = i.S3Bucket };
        if (i.S3BucketOwner is not null) d["S3BucketOwner"] = i.S3BucketOwner;
        if (i.S3KeyPrefix is not null) d["S3KeyPrefix"] = i.S3KeyPrefix;
        return d;
    }

    private static Dictionary<string, object?> ImportDescription(ImportRecord i)
    {
        var t = i.Table;
        var parameters = new Dictionary<string, object?>
        {
            ["TableName"] = t.TableName,
            ["AttributeDefinitions"] = t.AttributeDefinitions.Select(a => (object?)new Dictionary<string, object?>
            {
                ["AttributeName"] = a.AttributeName,
                ["AttributeType"] = a.AttributeType,
            }).ToList(),
            ["KeySchema"] = TableDescriptions.KeySchema(t.KeySchema),
            ["BillingMode"] = t.BillingMode,
        };
        if (t.ProvisionedThroughput is { } p)
            parameters["ProvisionedThroughput"] = new Dictionary<string, object?> { ["ReadCapacityUnits"] = p.ReadCapacityUnits, ["WriteCapacityUnits"] = p.WriteCapacityUnits };
        if (t.Sse is { } sse)
            parameters["SSESpecification"] = new Dictionary<string, object?> { ["Enabled"] = true, ["SSEType"] = sse.SseType, ["KMSMasterKeyId"] = sse.KmsMasterKeyArn };
        if (t.GlobalSecondaryIndexes.Count > 0)
            parameters["GlobalSecondaryIndexes"] = t.GlobalSecondaryIndexes.Select(g =>
            {
                var d = new Dictionary<string, object?>
                {
                    ["IndexName"] = g.IndexName,
                    ["KeySchema"] = TableDescriptions.KeySchema(g.KeySchema),
                    ["Projection"] = TableDescriptions.Projection(g),
                };
                if (g.ProvisionedThroughput is { } gp)
                    d["ProvisionedThroughput"] = new Dictionary<string, object?> { ["ReadCapacityUnits"] = gp.ReadCapacityUnits, ["WriteCapacityUnits"] = gp.WriteCapacityUnits };
                return (object?)d;
            }).ToList();
        var description = new Dictionary<string, object?>
        {
            ["ImportArn"] = i.ImportArn,
            ["ImportStatus"] = i.ImportStatus,
            ["TableArn"] = i.TableArn,
            ["TableId"] = i.TableId,
            ["ClientToken"] = i.ClientToken,
            ["S3BucketSource"] = BucketSource(i),
            ["ErrorCount"] = i.ErrorCount,
            ["CloudWatchLogGroupArn"] = i.CloudWatchLogGroupArn,
            ["InputFormat"] = i.InputFormat,
            ["InputCompressionType"] = i.InputCompressionType,
            ["TableCreationParameters"] = parameters,
            ["StartTime"] = i.StartTime,
            ["ProcessedSizeBytes"] = i.ProcessedSizeBytes,
            ["ProcessedItemCount"] = i.ProcessedItemCount,
            ["ImportedItemCount"] = i.ImportedItemCount,
        };
        if (i.CsvDelimiter is not null || i.CsvHeaderList is not null)
        {
            var csv = new Dictionary<string, object?>();
            if (i.CsvDelimiter is not null) csv["Delimiter"] = i.CsvDelimiter;
            if (i.CsvHeaderList is not null) csv["HeaderList"] = i.CsvHeaderList.Select(x => (object?)x).ToList();
            description["InputFormatOptions"] = new Dictionary<string, object?> { ["Csv"] = csv };
        }
        if (i.EndTime is { } end) description["EndTime"] = end;
        if (i.FailureCode is not null)
        {
            description["FailureCode"] = i.FailureCode;
            description["FailureMessage"] = i.FailureMessage;
        }
        return description;
    }
}
