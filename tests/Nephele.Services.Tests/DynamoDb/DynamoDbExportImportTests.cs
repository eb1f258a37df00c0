using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.S3.Model;

namespace Nephele.Services.Tests.DynamoDb;

public sealed class DynamoDbExportImportTests(NepheleFixture nephele) : DynamoDbTestBase(nephele), IClassFixture<NepheleFixture>
{
    private AmazonS3Client S3() => Nephele.Client((c, cfg) => new AmazonS3Client(c, (AmazonS3Config)cfg), new AmazonS3Config { ForcePathStyle = true });

    private async Task<string> NewBucket()
    {
        var bucket = NewName("bkt").ToLowerInvariant();
        await S3().PutBucketAsync(bucket);
        return bucket;
    }

    private async Task<string> PitrTableWithItems()
    {
        var table = await NewTable("N");
        var ddb = Ddb();
        await ddb.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = table,
            PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true },
        });
        await ddb.PutItemAsync(table, new()
        {
            ["pk"] = S("a"),
            ["sk"] = N("1"),
            ["text"] = S("line \"one\"\n"),
            ["num"] = N("12.50"),
            ["big"] = N("1E+40"),
            ["bin"] = new AttributeValue { B = new MemoryStream([1, 2, 3]) },
            ["flag"] = new AttributeValue { BOOL = true },
            ["nothing"] = new AttributeValue { NULL = true },
            ["list"] = new AttributeValue { L = [S("x"), N("2")] },
            ["map"] = new AttributeValue { M = new() { ["inner"] = S("y") } },
            ["ss"] = new AttributeValue { SS = ["s1", "s2"] },
            ["ns"] = new AttributeValue { NS = ["1", "2.5"] },
            ["bs"] = new AttributeValue { BS = [new MemoryStream([9])] },
        });
        await ddb.PutItemAsync(table, Item(("pk", S("b")), ("sk", N("2"))));
        return table;
    }

    private async Task<string> Read(string bucket, string key)
    {
        using var response = await S3().GetObjectAsync(bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    [Theory]
    [InlineData("DYNAMODB_JSON", ".json.gz")]
    [InlineData("ION", ".ion.gz")]
    public async Task Export_writes_awss_layout_and_import_reads_it_back_into_a_new_table(string format, string extension)
    {
        var table = await PitrTableWithItems();
        var bucket = await NewBucket();
        var ddb = Ddb();
        var tableArn = (await ddb.DescribeTableAsync(table)).Table.TableArn;
        var started = (await ddb.ExportTableToPointInTimeAsync(new ExportTableToPointInTimeRequest
        {
            TableArn = tableArn,
            S3Bucket = bucket,
            S3Prefix = "exports",
            ExportFormat = format,
        })).ExportDescription;
        Assert.Equal(ExportStatus.IN_PROGRESS, started.ExportStatus);
        Assert.Matches($"^{tableArn}/export/\\d{{14}}-[0-9a-f]{{8}}$", started.ExportArn);

        var export = (await ddb.DescribeExportAsync(new DescribeExportRequest { ExportArn = started.ExportArn })).ExportDescription;
        Assert.Equal(ExportStatus.COMPLETED, export.ExportStatus);
        Assert.Equal(2, export.ItemCount);
        var id = started.ExportArn[(started.ExportArn.LastIndexOf('/') + 1)..];
        Assert.Equal($"exports/AWSDynamoDB/{id}/manifest-summary.json", export.ExportManifest);
        var keys = (await S3().ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "exports/" })).S3Objects.Select(o => o.Key).ToList();
        Assert.Contains($"exports/AWSDynamoDB/{id}/_started", keys);
        Assert.Contains($"exports/AWSDynamoDB/{id}/manifest-files.json", keys);
        var dataKey = Assert.Single(keys, k => k.Contains("/data/", StringComparison.Ordinal));
        Assert.EndsWith(extension, dataKey);

        using var summary = JsonDocument.Parse(await Read(bucket, export.ExportManifest));
        Assert.Equal(2, summary.RootElement.GetProperty("itemCount").GetInt32());
        Assert.Equal(format, summary.RootElement.GetProperty("outputFormat").GetString());
        using var files = JsonDocument.Parse((await Read(bucket, $"exports/AWSDynamoDB/{id}/manifest-files.json")).Trim());
        Assert.Equal(dataKey, files.RootElement.GetProperty("dataFileS3Key").GetString());

        var summaries = (await ddb.ListExportsAsync(new ListExportsRequest { TableArn = tableArn })).ExportSummaries;
        Assert.Equal(started.ExportArn, Assert.Single(summaries).ExportArn);

        var target = NewName("imp");
        var import = (await ddb.ImportTableAsync(new ImportTableRequest
        {
            S3BucketSource = new S3BucketSource { S3Bucket = bucket, S3KeyPrefix = $"exports/AWSDynamoDB/{id}/data/" },
            InputFormat = format,
            InputCompressionType = InputCompressionType.GZIP,
            TableCreationParameters = new TableCreationParameters
            {
                TableName = target,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
                AttributeDefinitions = [new AttributeDefinition("pk", "S"), new AttributeDefinition("sk", "N")],
            },
        })).ImportTableDescription;
        Assert.Equal(ImportStatus.IN_PROGRESS, import.ImportStatus);
        var done = (await ddb.DescribeImportAsync(new DescribeImportRequest { ImportArn = import.ImportArn })).ImportTableDescription;
        Assert.Equal(ImportStatus.COMPLETED, done.ImportStatus);
        Assert.Equal(2, done.ImportedItemCount);
        Assert.Equal(0, done.ErrorCount);
        Assert.Equal("arn:aws:logs:us-east-1:" + tableArn.Split(':')[4] + ":log-group:/aws-dynamodb/imports:*", done.CloudWatchLogGroupArn);

        var original = (await ddb.GetItemAsync(table, new() { ["pk"] = S("a"), ["sk"] = N("1") })).Item;
        var copy = (await ddb.GetItemAsync(target, new() { ["pk"] = S("a"), ["sk"] = N("1") })).Item;
        Assert.Equal(original.Keys.Order(), copy.Keys.Order());
        Assert.Equal("line \"one\"\n", copy["text"].S);
        Assert.Equal("12.5", copy["num"].N);
        Assert.Equal(original["big"].N, copy["big"].N);
        Assert.Equal([1, 2, 3], copy["bin"].B.ToArray());
        Assert.True(copy["nothing"].NULL);
        Assert.Equal("y", copy["map"].M["inner"].S);
        Assert.Equal(["s1", "s2"], copy["ss"].SS.Order());
        Assert.Equal(["1", "2.5"], copy["ns"].NS.Order());
        Assert.Equal(2, (await ddb.DescribeTableAsync(target)).Table.ItemCount);
    }

    [Fact]
    public async Task Export_needs_pitr_and_fails_with_s3s_error_for_a_missing_bucket()
    {
        var ddb = Ddb();
        var plain = await NewTable();
        var arn = (await ddb.DescribeTableAsync(plain)).Table.TableArn;
        await Assert.ThrowsAsync<PointInTimeRecoveryUnavailableException>(() =>
            ddb.ExportTableToPointInTimeAsync(new ExportTableToPointInTimeRequest { TableArn = arn, S3Bucket = "whatever" }));

        var table = await PitrTableWithItems();
        var started = (await ddb.ExportTableToPointInTimeAsync(new ExportTableToPointInTimeRequest
        {
            TableArn = (await ddb.DescribeTableAsync(table)).Table.TableArn,
            S3Bucket = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8],
        })).ExportDescription;
        var failed = (await ddb.DescribeExportAsync(new DescribeExportRequest { ExportArn = started.ExportArn })).ExportDescription;
        Assert.Equal(ExportStatus.FAILED, failed.ExportStatus);
        Assert.Equal("S3NoSuchBucket", failed.FailureCode);
        await Assert.ThrowsAsync<ExportNotFoundException>(() => ddb.DescribeExportAsync(new DescribeExportRequest { ExportArn = started.ExportArn + "0" }));
    }

    [Fact]
    public async Task Import_reads_csv_counts_bad_lines_as_errors_and_refuses_an_existing_table()
    {
        var bucket = await NewBucket();
        var s3 = S3();
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "csv/part-1.csv",
            ContentBody = "id,score,name\n1,10,\"Smith, Jane\"\n2,20,Bob\nnot-a-number,5,Bad\n",
        });
        var ddb = Ddb();
        var target = NewName("csv");
        var request = new ImportTableRequest
        {
            S3BucketSource = new S3BucketSource { S3Bucket = bucket, S3KeyPrefix = "csv/" },
            InputFormat = InputFormat.CSV,
            TableCreationParameters = new TableCreationParameters
            {
                TableName = target,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new KeySchemaElement("id", KeyType.HASH)],
                AttributeDefinitions = [new AttributeDefinition("id", "N")],
            },
        };
        var arn = (await ddb.ImportTableAsync(request)).ImportTableDescription.ImportArn;
        var done = (await ddb.DescribeImportAsync(new DescribeImportRequest { ImportArn = arn })).ImportTableDescription;
        Assert.Equal(ImportStatus.COMPLETED, done.ImportStatus);
        Assert.Equal(3, done.ProcessedItemCount);
        Assert.Equal(2, done.ImportedItemCount);
        Assert.Equal(1, done.ErrorCount);
        var item = (await ddb.GetItemAsync(target, new() { ["id"] = N("1") })).Item;
        Assert.Equal("Smith, Jane", item["name"].S);
        Assert.Equal("10", item["score"].S);

        var again = await Assert.ThrowsAsync<ResourceInUseException>(() => ddb.ImportTableAsync(request));
        Assert.Contains(target, again.Message);
        var listed = (await ddb.ListImportsAsync(new ListImportsRequest())).ImportSummaryList;
        Assert.Contains(listed, i => i.ImportArn == arn && i.ImportStatus == ImportStatus.COMPLETED);
    }

    [Fact]
    public async Task Import_decompresses_zstd_dynamodb_json()
    {
        var bucket = await NewBucket();
        var lines = "{\"Item\":{\"pk\":{\"S\":\"z1\"},\"n\":{\"N\":\"7\"}}}\n{\"Item\":{\"pk\":{\"S\":\"z2\"}}}\n{\"Item\":{\"other\":{\"S\":\"no key\"}}}\n";
        using var compressor = new ZstdSharp.Compressor();
        var body = compressor.Wrap(Encoding.UTF8.GetBytes(lines)).ToArray();
        await S3().PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "z/data.json.zst", InputStream = new MemoryStream(body) });
        var ddb = Ddb();
        var target = NewName("zst");
        var arn = (await ddb.ImportTableAsync(new ImportTableRequest
        {
            S3BucketSource = new S3BucketSource { S3Bucket = bucket, S3KeyPrefix = "z/" },
            InputFormat = InputFormat.DYNAMODB_JSON,
            InputCompressionType = InputCompressionType.ZSTD,
            TableCreationParameters = new TableCreationParameters
            {
                TableName = target,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
                AttributeDefinitions = [new AttributeDefinition("pk", "S")],
            },
        })).ImportTableDescription.ImportArn;
        var done = (await ddb.DescribeImportAsync(new DescribeImportRequest { ImportArn = arn })).ImportTableDescription;
        Assert.Equal(ImportStatus.COMPLETED, done.ImportStatus);
        Assert.Equal(2, done.ImportedItemCount);
        Assert.Equal(1, done.ErrorCount);
        Assert.Equal("7", (await ddb.GetItemAsync(target, new() { ["pk"] = S("z1") })).Item["n"].N);
    }
}
