using System.Net;
using Amazon.SQS.Model;
using Nephele.Services.Tests.Sqs;

namespace Nephele.Services.Tests.Lambda;

/// <summary>SQS event source mappings: the API, and a poller that really receives, invokes and deletes.</summary>
public sealed class LambdaEventSourceMappingTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private const string Path = "/2015-03-31/event-source-mappings";
    private readonly LambdaClient _lambda = new(nephele.Http());
    private readonly Amazon.SQS.AmazonSQSClient _sqs = nephele.Sqs();

    private async Task<(string Url, string Arn)> NewQueue(Dictionary<string, string>? attributes = null)
    {
        var url = await _sqs.NewQueue(attributes);
        return (url, await _sqs.QueueArn(url));
    }

    [Fact]
    public async Task A_mapping_invokes_the_function_with_SQS_records_and_deletes_what_succeeded()
    {
        var (name, file) = await _lambda.RecorderFunction("esm");
        var (url, arn) = await NewQueue();
        var created = await _lambda.Send(HttpMethod.Post, Path, new { FunctionName = name, EventSourceArn = arn, BatchSize = 5 });
        Assert.Equal(HttpStatusCode.Accepted, created.Status);
        Assert.Equal(("Creating", 5, "USER_INITIATED"), (created.Json.GetProperty("State").GetString(), created.Json.GetProperty("BatchSize").GetInt32(),
            created.Json.GetProperty("StateTransitionReason").GetString()));
        var uuid = created.Json.GetProperty("UUID").GetString()!;
        Assert.Equal($"arn:aws:lambda:us-east-1:000000000000:event-source-mapping:{uuid}", created.Json.GetProperty("EventSourceMappingArn").GetString());
        Assert.Equal("Enabled", (await _lambda.Ok(HttpMethod.Get, $"{Path}/{uuid}")).GetProperty("State").GetString());

        var sent = await _sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = url,
            MessageBody = "hello",
            MessageAttributes = new() { ["color"] = new MessageAttributeValue { DataType = "String", StringValue = "blue" } },
        });
        var record = (await LambdaAsyncSupport.Events(file, 1))[0].GetProperty("Records")[0];
        Assert.Equal((sent.MessageId, "hello", "aws:sqs", arn, "us-east-1"), (record.GetProperty("messageId").GetString(), record.GetProperty("body").GetString(),
            record.GetProperty("eventSource").GetString(), record.GetProperty("eventSourceARN").GetString(), record.GetProperty("awsRegion").GetString()));
        Assert.Equal(sent.MD5OfMessageBody, record.GetProperty("md5OfBody").GetString());
        Assert.Equal(sent.MD5OfMessageAttributes, record.GetProperty("md5OfMessageAttributes").GetString());
        Assert.Equal("1", record.GetProperty("attributes").GetProperty("ApproximateReceiveCount").GetString());
        Assert.True(record.GetProperty("attributes").TryGetProperty("SentTimestamp", out _));
        Assert.Equal(("blue", "String"), (record.GetProperty("messageAttributes").GetProperty("color").GetProperty("stringValue").GetString(),
            record.GetProperty("messageAttributes").GetProperty("color").GetProperty("dataType").GetString()));
        Assert.False(string.IsNullOrEmpty(record.GetProperty("receiptHandle").GetString()));
        await _sqs.Drained(url);

        var deleted = await _lambda.Send(HttpMethod.Delete, $"{Path}/{uuid}");
        Assert.Equal("Deleting", deleted.Json.GetProperty("State").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _lambda.Send(HttpMethod.Get, $"{Path}/{uuid}")).Status);
    }

    [Fact]
    public async Task Partial_batch_failures_leave_only_the_failed_messages_to_come_back_after_the_visibility_timeout()
    {
        var (name, file) = await _lambda.RecorderFunction("partial");
        var (url, arn) = await NewQueue(new() { ["VisibilityTimeout"] = "30" });
        await _sqs.SendMessageAsync(url, "good");
        await _sqs.SendMessageAsync(url, "bad");
        await _lambda.Ok(HttpMethod.Post, Path, new
        {
            FunctionName = name,
            EventSourceArn = arn,
            BatchSize = 10,
            FunctionResponseTypes = new[] { "ReportBatchItemFailures" },
        });
        var bodies = new List<string>();
        var seen = 0;
        while (!bodies.Contains("bad") || !bodies.Contains("good"))
        {
            var events = await LambdaAsyncSupport.Events(file, seen + 1);
            bodies = [.. events.SelectMany(e => e.GetProperty("Records").EnumerateArray()).Select(r => r.GetProperty("body").GetString()!)];
            seen = events.Count;
        }
        var invocations = seen;
        // "good" was deleted; "bad" is in flight until its visibility timeout ends, then comes back.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await _sqs.Attributes(url, "ApproximateNumberOfMessagesNotVisible"))["ApproximateNumberOfMessagesNotVisible"] != "1")
        {
            Assert.True(DateTime.UtcNow < deadline);
            await Task.Delay(25);
        }
        Assert.Equal("0", (await _sqs.Attributes(url, "ApproximateNumberOfMessages"))["ApproximateNumberOfMessages"]);
        await nephele.AdvanceClock("PT31S");
        var again = await LambdaAsyncSupport.Events(file, invocations + 1);
        var retried = again[^1].GetProperty("Records");
        Assert.Equal("bad", Assert.Single(retried.EnumerateArray()).GetProperty("body").GetString());
        Assert.Equal("2", retried[0].GetProperty("attributes").GetProperty("ApproximateReceiveCount").GetString());
    }

    [Fact]
    public async Task Filter_criteria_let_only_matching_messages_through_and_drop_the_rest()
    {
        var (name, file) = await _lambda.RecorderFunction("filter");
        var (url, arn) = await NewQueue();
        var created = await _lambda.Ok(HttpMethod.Post, Path, new
        {
            FunctionName = name,
            EventSourceArn = arn,
            FilterCriteria = new { Filters = new[] { new { Pattern = """{"body": {"kind": ["keep"]}}""" } } },
        });
        Assert.Equal("""{"body": {"kind": ["keep"]}}""", created.GetProperty("FilterCriteria").GetProperty("Filters")[0].GetProperty("Pattern").GetString());
        await _sqs.SendMessageAsync(url, """{"kind":"drop","n":1}""");
        await _sqs.SendMessageAsync(url, """{"kind":"keep","n":2}""");
        await _sqs.Drained(url);
        var bodies = (await LambdaAsyncSupport.Events(file, 1)).SelectMany(e => e.GetProperty("Records").EnumerateArray())
            .Select(r => r.GetProperty("body").GetString()).ToList();
        Assert.Equal(["""{"kind":"keep","n":2}"""], bodies);
    }

    [Fact]
    public async Task The_API_validates_mappings_and_lists_updates_and_disables_them()
    {
        var (name, _) = await _lambda.RecorderFunction("esmapi");
        var (_, arn) = await NewQueue();
        var big = await _lambda.Send(HttpMethod.Post, Path, new { FunctionName = name, EventSourceArn = arn, BatchSize = 100 });
        Assert.Equal(("InvalidParameterValueException", "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10"),
            (big.ErrorCode, big.Json.GetProperty("message").GetString()));
        var noQueue = await _lambda.Send(HttpMethod.Post, Path, new { FunctionName = name, EventSourceArn = arn + "-missing" });
        Assert.Equal("InvalidParameterValueException", noQueue.ErrorCode);
        var noFunction = await _lambda.Send(HttpMethod.Post, Path, new { FunctionName = name + "-missing", EventSourceArn = arn });
        Assert.Equal(("InvalidParameterValueException", "Function does not exist"), (noFunction.ErrorCode, noFunction.Json.GetProperty("message").GetString()));
        var badFilter = await _lambda.Send(HttpMethod.Post, Path,
            new { FunctionName = name, EventSourceArn = arn, FilterCriteria = new { Filters = new[] { new { Pattern = "not json" } } } });
        Assert.Equal("Invalid filter pattern definition.", badFilter.Json.GetProperty("message").GetString());

        var created = await _lambda.Ok(HttpMethod.Post, Path, new
        {
            FunctionName = name,
            EventSourceArn = arn,
            BatchSize = 500,
            MaximumBatchingWindowInSeconds = 5,
            ScalingConfig = new { MaximumConcurrency = 2 },
            Enabled = false,
        });
        var uuid = created.GetProperty("UUID").GetString()!;
        Assert.Equal(2, created.GetProperty("ScalingConfig").GetProperty("MaximumConcurrency").GetInt32());
        var duplicate = await _lambda.Send(HttpMethod.Post, Path, new { FunctionName = name, EventSourceArn = arn });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Contains($"Please update or delete the existing mapping with UUID {uuid}", duplicate.Json.GetProperty("message").GetString());

        Assert.Equal("Disabled", (await _lambda.Ok(HttpMethod.Get, $"{Path}/{uuid}")).GetProperty("State").GetString());
        var enabled = await _lambda.Ok(HttpMethod.Put, $"{Path}/{uuid}", new { Enabled = true, BatchSize = 10 });
        Assert.Equal(("Enabling", 10, 5), (enabled.GetProperty("State").GetString(), enabled.GetProperty("BatchSize").GetInt32(),
            enabled.GetProperty("MaximumBatchingWindowInSeconds").GetInt32()));
        var list = await _lambda.Ok(HttpMethod.Get, $"{Path}?FunctionName={name}");
        Assert.Equal(uuid, Assert.Single(list.GetProperty("EventSourceMappings").EnumerateArray()).GetProperty("UUID").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _lambda.Send(HttpMethod.Get, $"{Path}/{Guid.NewGuid()}")).Status);
        await _lambda.Ok(HttpMethod.Delete, $"{Path}/{uuid}");
    }
}
