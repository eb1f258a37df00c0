using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Nephele.Services.Tests.Sqs;

namespace Nephele.Services.Tests.Lambda;

/// <summary>DynamoDB stream event source mappings: the API, and a poller that reads the stream in order and retries.</summary>
public sealed class LambdaDynamoDbStreamMappingTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private const string Path = "/2015-03-31/event-source-mappings";

    /// <summary>Records the event; reports the records whose key starts with "bad" as failed items.</summary>
    private const string PartialRecorder = """
        const fs = require('fs');
        exports.handler = async (event) => {
          fs.appendFileSync(process.env.OUT, JSON.stringify(event) + '\n');
          return { batchItemFailures: event.Records.filter(r => r.dynamodb.Keys.pk.S.startsWith('bad'))
            .map(r => ({ itemIdentifier: r.dynamodb.SequenceNumber })) };
        };
        """;

    private readonly LambdaClient _lambda = new(nephele.Http());
    private readonly Amazon.SQS.AmazonSQSClient _sqs = nephele.Sqs();
    private readonly AmazonDynamoDBClient _ddb =
        nephele.Client((creds, cfg) => new AmazonDynamoDBClient(creds, (AmazonDynamoDBConfig)cfg), new AmazonDynamoDBConfig());

    private async Task<(string Table, string StreamArn)> NewStreamTable()
    {
        var name = $"esm-{Guid.NewGuid():N}"[..20];
        var created = await _ddb.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", "S")],
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES },
        });
        return (name, created.TableDescription.LatestStreamArn);
    }

    private Task Put(string table, string pk, string value = "v") =>
        _ddb.PutItemAsync(table, new() { ["pk"] = new AttributeValue(pk), ["v"] = new AttributeValue(value) });

    private static List<JsonElement> Records(List<JsonElement> events) => [.. events.SelectMany(e => e.GetProperty("Records").EnumerateArray())];

    private static string Key(JsonElement record) => record.GetProperty("dynamodb").GetProperty("Keys").GetProperty("pk").GetProperty("S").GetString()!;

    private async Task<string> LastProcessingResult(string uuid, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var result = (await _lambda.Ok(HttpMethod.Get, $"{Path}/{uuid}")).GetProperty("LastProcessingResult").GetString()!;
            if (result == expected || DateTime.UtcNow > deadline) return result;
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task A_mapping_invokes_the_function_with_stream_records_in_order_and_reports_its_stream_settings()
    {
        var (name, file) = await _lambda.RecorderFunction("ddbesm");
        var (table, streamArn) = await NewStreamTable();
        await Put(table, "before");
        var created = await _lambda.Ok(HttpMethod.Post, Path, new { FunctionName = name, EventSourceArn = streamArn, StartingPosition = "TRIM_HORIZON" });
        Assert.Equal(("TRIM_HORIZON", 100, -1, false, -1, 1), (created.GetProperty("StartingPosition").GetString(), created.GetProperty("BatchSize").GetInt32(),
            created.GetProperty("MaximumRetryAttempts").GetInt32(), created.GetProperty("BisectBatchOnFunctionError").GetBoolean(),
            created.GetProperty("MaximumRecordAgeInSeconds").GetInt32(), created.GetProperty("ParallelizationFactor").GetInt32()));
        var uuid = created.GetProperty("UUID").GetString()!;
        await Put(table, "a");
        await Put(table, "b");
        await Put(table, "a", "changed");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<JsonElement> records;
        do
        {
            records = Records(await LambdaAsyncSupport.Events(file, 1));
            Assert.True(DateTime.UtcNow < deadline);
        }
        while (records.Count < 4);
        Assert.Equal(["before", "a", "b", "a"], records.Select(Key));
        Assert.Equal(["INSERT", "INSERT", "INSERT", "MODIFY"], records.Select(r => r.GetProperty("eventName").GetString()));
        var sequences = records.Select(r => r.GetProperty("dynamodb").GetProperty("SequenceNumber").GetString()!).ToList();
        Assert.Equal(sequences.Order(StringComparer.Ordinal), sequences);
        var modify = records[3];
        Assert.Equal((streamArn, "aws:dynamodb", "us-east-1"), (modify.GetProperty("eventSourceARN").GetString(),
            modify.GetProperty("eventSource").GetString(), modify.GetProperty("awsRegion").GetString()));
        Assert.Equal(("changed", "v"), (modify.GetProperty("dynamodb").GetProperty("NewImage").GetProperty("v").GetProperty("S").GetString(),
            modify.GetProperty("dynamodb").GetProperty("OldImage").GetProperty("v").GetProperty("S").GetString()));
        Assert.Equal("OK", await LastProcessingResult(uuid, "OK"));
        await _lambda.Ok(HttpMethod.Delete, $"{Path}/{uuid}");
    }

    [Fact]
    public async Task The_API_requires_a_starting_position_and_an_existing_stream()
    {
        var (name, _) = await _lambda.RecorderFunction("ddbesmapi");
        var (_, streamArn) = await NewStreamTable();
        var noPosition = await _lambda.Send(HttpMethod.Post, Path, new { FunctionName = name, EventSourceArn = streamArn });
        Assert.Equal(("InvalidParameterValueException", "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null."),
            (noPosition.ErrorCode, noPosition.Json.GetProperty("message").GetString()));
        var tooBig = await _lambda.Send(HttpMethod.Post, Path, new { FunctionName = name, EventSourceArn = streamArn, StartingPosition = "LATEST", BatchSize = 10_001 });
        Assert.Equal("ValidationException", tooBig.ErrorCode);
        var missing = await _lambda.Send(HttpMethod.Post, Path,
            new { FunctionName = name, EventSourceArn = streamArn.Replace("/stream/", "x/stream/", StringComparison.Ordinal), StartingPosition = "LATEST" });
        Assert.Equal("InvalidParameterValueException", missing.ErrorCode);
        var badDestination = await _lambda.Send(HttpMethod.Post, Path, new
        {
            FunctionName = name,
            EventSourceArn = streamArn,
            StartingPosition = "LATEST",
            DestinationConfig = new { OnFailure = new { Destination = "arn:aws:s3:::bucket" } },
        });
        Assert.Equal("InvalidParameterValueException", badDestination.ErrorCode);

        var created = await _lambda.Ok(HttpMethod.Post, Path, new
        {
            FunctionName = name,
            EventSourceArn = streamArn,
            StartingPosition = "LATEST",
            BatchSize = 1000,
            MaximumRetryAttempts = 3,
            BisectBatchOnFunctionError = true,
            MaximumRecordAgeInSeconds = 600,
            ParallelizationFactor = 4,
            Enabled = false,
        });
        var uuid = created.GetProperty("UUID").GetString()!;
        var updated = await _lambda.Ok(HttpMethod.Put, $"{Path}/{uuid}", new { MaximumRetryAttempts = 5 });
        Assert.Equal((1000, 5, true, 600, 4, "LATEST"), (updated.GetProperty("BatchSize").GetInt32(), updated.GetProperty("MaximumRetryAttempts").GetInt32(),
            updated.GetProperty("BisectBatchOnFunctionError").GetBoolean(), updated.GetProperty("MaximumRecordAgeInSeconds").GetInt32(),
            updated.GetProperty("ParallelizationFactor").GetInt32(), updated.GetProperty("StartingPosition").GetString()));
        await _lambda.Ok(HttpMethod.Delete, $"{Path}/{uuid}");
    }

    [Fact]
    public async Task A_failing_batch_is_retried_then_bisected_and_reported_to_the_on_failure_queue()
    {
        var (name, file) = await _lambda.RecorderFunction("ddbesmfail", fail: true);
        var (table, streamArn) = await NewStreamTable();
        var url = await _sqs.NewQueue();
        var queueArn = await _sqs.QueueArn(url);
        await _ddb.BatchWriteItemAsync(new Dictionary<string, List<WriteRequest>>
        {
            [table] = [.. new[] { "x", "y" }.Select(k => new WriteRequest(new PutRequest(new() { ["pk"] = new AttributeValue(k) })))],
        });
        var created = await _lambda.Ok(HttpMethod.Post, Path, new
        {
            FunctionName = name,
            EventSourceArn = streamArn,
            StartingPosition = "TRIM_HORIZON",
            MaximumRetryAttempts = 1,
            BisectBatchOnFunctionError = true,
            DestinationConfig = new { OnFailure = new { Destination = queueArn } },
        });
        Assert.Equal(queueArn, created.GetProperty("DestinationConfig").GetProperty("OnFailure").GetProperty("Destination").GetString());
        var uuid = created.GetProperty("UUID").GetString()!;

        // [x, y] fails and is split; [x] fails, waits, fails again and is given up; then [y] the same way.
        var failures = new List<JsonElement>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (failures.Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "no on-failure records arrived");
            await nephele.AdvanceClock("PT1M");
            foreach (var m in await _sqs.Receive(url, 10, wait: 0)) failures.Add(JsonDocument.Parse(m.Body).RootElement.Clone());
            await Task.Delay(50);
        }
        var batches = (await LambdaAsyncSupport.Events(file, 5)).Select(e => string.Join(",", e.GetProperty("Records").EnumerateArray().Select(Key))).ToList();
        Assert.Equal(["x,y", "x", "x", "y", "y"], batches);
        var first = failures[0];
        Assert.Equal(("RetryAttemptsExhausted", 2, "Unhandled", "1.0"), (first.GetProperty("requestContext").GetProperty("condition").GetString(),
            first.GetProperty("requestContext").GetProperty("approximateInvokeCount").GetInt32(),
            first.GetProperty("responseContext").GetProperty("functionError").GetString(), first.GetProperty("version").GetString()));
        var info = first.GetProperty("DDBStreamBatchInfo");
        Assert.Equal((1, streamArn), (info.GetProperty("batchSize").GetInt32(), info.GetProperty("streamArn").GetString()));
        Assert.Equal(info.GetProperty("startSequenceNumber").GetString(), info.GetProperty("endSequenceNumber").GetString());
        Assert.StartsWith("shardId-", info.GetProperty("shardId").GetString());
        Assert.Equal("PROBLEM: Function call failed", await LastProcessingResult(uuid, "PROBLEM: Function call failed"));
        await _lambda.Ok(HttpMethod.Delete, $"{Path}/{uuid}");
    }

    [Fact]
    public async Task Reported_item_failures_checkpoint_before_the_first_failed_record_and_retry_from_there()
    {
        var name = LambdaClient.Unique("ddbpartial");
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"nephele-{name}.jsonl");
        await _lambda.CreateOk(name, "nodejs20.x", "index.handler", LambdaClient.Zip(("index.js", PartialRecorder)),
            new Dictionary<string, object?> { ["Environment"] = new { Variables = new Dictionary<string, string> { ["OUT"] = file } } });
        var (table, streamArn) = await NewStreamTable();
        await Put(table, "good1");
        await Put(table, "bad");
        await Put(table, "good2");
        var created = await _lambda.Ok(HttpMethod.Post, Path, new
        {
            FunctionName = name,
            EventSourceArn = streamArn,
            StartingPosition = "TRIM_HORIZON",
            MaximumRetryAttempts = 1,
            FunctionResponseTypes = new[] { "ReportBatchItemFailures" },
        });
        var uuid = created.GetProperty("UUID").GetString()!;
        await LambdaAsyncSupport.Events(file, 1);
        await nephele.AdvanceClock("PT1M");
        await LambdaAsyncSupport.Events(file, 2);
        await Put(table, "good3");
        var batches = (await LambdaAsyncSupport.Events(file, 3)).Select(e => string.Join(",", e.GetProperty("Records").EnumerateArray().Select(Key))).ToList();
        Assert.Equal(["good1,bad,good2", "bad,good2", "good3"], batches);
        await _lambda.Ok(HttpMethod.Delete, $"{Path}/{uuid}");
    }

    [Fact]
    public async Task Latest_skips_older_records_and_filters_drop_what_they_do_not_match()
    {
        var (name, file) = await _lambda.RecorderFunction("ddbfilter");
        var (table, streamArn) = await NewStreamTable();
        await Put(table, "old");
        var created = await _lambda.Ok(HttpMethod.Post, Path, new
        {
            FunctionName = name,
            EventSourceArn = streamArn,
            StartingPosition = "LATEST",
            FilterCriteria = new { Filters = new[] { new { Pattern = """{"eventName": ["INSERT"]}""" } } },
        });
        var uuid = created.GetProperty("UUID").GetString()!;
        await Put(table, "old", "modified");
        await Put(table, "new");
        var events = await LambdaAsyncSupport.Events(file, 1);
        Assert.Equal(["new"], Records(events).Select(Key));
        await _lambda.Ok(HttpMethod.Delete, $"{Path}/{uuid}");
    }

    [Fact]
    public async Task The_checkpoint_survives_a_restart_so_processed_records_are_not_delivered_again()
    {
        using var data = new RestartableNephele();
        string file, table;
        var server = await data.StartAsync();
        try
        {
            var lambda = new LambdaClient(new HttpClient { BaseAddress = server.Endpoint });
            (var name, file) = await lambda.RecorderFunction("ddbdurable");
            var ddb = new AmazonDynamoDBClient(new Amazon.Runtime.BasicAWSCredentials("test", "test"),
                new AmazonDynamoDBConfig { ServiceURL = server.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
            table = "durable-esm";
            var created = await ddb.CreateTableAsync(new CreateTableRequest
            {
                TableName = table,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
                AttributeDefinitions = [new AttributeDefinition("pk", "S")],
                StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.KEYS_ONLY },
            });
            var mapping = await lambda.Ok(HttpMethod.Post, Path,
                new { FunctionName = name, EventSourceArn = created.TableDescription.LatestStreamArn, StartingPosition = "TRIM_HORIZON" });
            await ddb.PutItemAsync(table, new() { ["pk"] = new AttributeValue("a") });
            await LambdaAsyncSupport.Events(file, 1);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await lambda.Ok(HttpMethod.Get, $"{Path}/{mapping.GetProperty("UUID").GetString()}")).GetProperty("LastProcessingResult").GetString() != "OK")
            {
                Assert.True(DateTime.UtcNow < deadline);
                await Task.Delay(25);
            }
        }
        finally
        {
            await server.DisposeAsync();
        }

        server = await data.StartAsync();
        try
        {
            var ddb = new AmazonDynamoDBClient(new Amazon.Runtime.BasicAWSCredentials("test", "test"),
                new AmazonDynamoDBConfig { ServiceURL = server.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
            await ddb.PutItemAsync(table, new() { ["pk"] = new AttributeValue("b") });
            var batches = (await LambdaAsyncSupport.Events(file, 2)).Select(e => string.Join(",", e.GetProperty("Records").EnumerateArray().Select(Key))).ToList();
            Assert.Equal(["a", "b"], batches);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
