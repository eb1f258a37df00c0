using System.Net;
using System.Text.Json;
using Amazon.SQS.Model;
using Nephele.Services.Tests.Sns;
using Nephele.Services.Tests.Sqs;

namespace Nephele.Services.Tests.Lambda;

/// <summary>Asynchronous invocation: SNS subscriptions, retries on Nephele's clock, destinations, dead-letter queues.</summary>
public sealed class LambdaAsyncTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly LambdaClient _lambda = new(nephele.Http());
    private readonly Amazon.SQS.AmazonSQSClient _sqs = nephele.Sqs();

    private static string ConfigPath(string name) => $"/2019-09-25/functions/{name}/event-invoke-config";

    private Task<LambdaClient.Reply> InvokeEvent(string name, object payload) =>
        _lambda.Invoke(name, payload, headers: new() { ["X-Amz-Invocation-Type"] = "Event" });

    /// <summary>
    /// Moves the clock until the function has run <paramref name="count"/> times: the retry is scheduled only once
    /// the failed attempt has returned, which can be just after the test saw it start.
    /// </summary>
    private async Task<List<JsonElement>> AdvanceUntil(string file, int count, string step)
    {
        for (var i = 0; i < 10; i++)
        {
            await nephele.AdvanceClock(step);
            for (var wait = 0; wait < 80; wait++)
            {
                if (File.ReadAllLines(file).Count(l => l.Length > 0) >= count) return await LambdaAsyncSupport.Events(file, count);
                await Task.Delay(25);
            }
        }
        return await LambdaAsyncSupport.Events(file, count);
    }

    [Fact]
    public async Task An_SNS_subscription_invokes_the_function_with_the_SNS_event()
    {
        var (name, file) = await _lambda.RecorderFunction("sns");
        var sns = new SnsClient(nephele.Http());
        var topic = await sns.CreateTopic(LambdaClient.Unique("topic"));
        var subscription = await sns.Subscribe(topic, "lambda", $"arn:aws:lambda:us-east-1:000000000000:function:{name}", returnArn: true);
        var messageId = await sns.Publish(topic, "hello lambda", ("Subject", "greeting"),
            ("MessageAttributes.entry.1.Name", "color"), ("MessageAttributes.entry.1.Value.DataType", "String"),
            ("MessageAttributes.entry.1.Value.StringValue", "blue"));

        var record = (await LambdaAsyncSupport.Events(file, 1))[0].GetProperty("Records")[0];
        Assert.Equal(("aws:sns", "1.0", subscription), (record.GetProperty("EventSource").GetString(), record.GetProperty("EventVersion").GetString(),
            record.GetProperty("EventSubscriptionArn").GetString()));
        var message = record.GetProperty("Sns");
        Assert.Equal(("Notification", messageId, topic), (message.GetProperty("Type").GetString(), message.GetProperty("MessageId").GetString(),
            message.GetProperty("TopicArn").GetString()));
        Assert.Equal(("greeting", "hello lambda"), (message.GetProperty("Subject").GetString(), message.GetProperty("Message").GetString()));
        Assert.Equal(("String", "blue"), (message.GetProperty("MessageAttributes").GetProperty("color").GetProperty("Type").GetString(),
            message.GetProperty("MessageAttributes").GetProperty("color").GetProperty("Value").GetString()));
        Assert.Equal("1", message.GetProperty("SignatureVersion").GetString());
        Assert.False(string.IsNullOrEmpty(message.GetProperty("Signature").GetString()));
        Assert.Contains("/_aws/sns/SimpleNotificationService-", message.GetProperty("SigningCertUrl").GetString());
        Assert.Contains("Action=Unsubscribe", message.GetProperty("UnsubscribeUrl").GetString());
    }

    [Fact]
    public async Task Function_errors_are_retried_after_one_and_two_minutes_then_the_record_goes_to_the_on_failure_destination()
    {
        var (name, file) = await _lambda.RecorderFunction("retry", fail: true);
        var failures = await _sqs.NewQueue();
        var put = await _lambda.Send(HttpMethod.Put, ConfigPath(name),
            new { DestinationConfig = new { OnFailure = new { Destination = await _sqs.QueueArn(failures) } } });
        Assert.Equal(HttpStatusCode.OK, put.Status);

        var accepted = await InvokeEvent(name, new { order = 7 });
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        await LambdaAsyncSupport.Events(file, 1);
        await AdvanceUntil(file, 2, "PT61S");
        Assert.Empty(await _sqs.Receive(failures));
        var attempts = await AdvanceUntil(file, 3, "PT121S");
        Assert.All(attempts, e => Assert.Equal(7, e.GetProperty("order").GetInt32()));

        var record = JsonDocument.Parse((await _sqs.ReceiveOne(failures)).Body).RootElement;
        Assert.Equal("1.0", record.GetProperty("version").GetString());
        var context = record.GetProperty("requestContext");
        Assert.Equal(accepted.Header("x-amzn-RequestId"), context.GetProperty("requestId").GetString());
        Assert.Equal($"arn:aws:lambda:us-east-1:000000000000:function:{name}:$LATEST", context.GetProperty("functionArn").GetString());
        Assert.Equal(("RetriesExhausted", 3), (context.GetProperty("condition").GetString(), context.GetProperty("approximateInvokeCount").GetInt32()));
        Assert.Equal(7, record.GetProperty("requestPayload").GetProperty("order").GetInt32());
        Assert.Equal(("Unhandled", "$LATEST", 200), (record.GetProperty("responseContext").GetProperty("functionError").GetString(),
            record.GetProperty("responseContext").GetProperty("executedVersion").GetString(), record.GetProperty("responseContext").GetProperty("statusCode").GetInt32()));
        Assert.Equal(("BoomError", "boom"), (record.GetProperty("responsePayload").GetProperty("errorType").GetString(),
            record.GetProperty("responsePayload").GetProperty("errorMessage").GetString()));
        Assert.Equal(3, (await LambdaAsyncSupport.Events(file, 3)).Count);
    }

    [Fact]
    public async Task A_success_sends_its_record_to_the_on_success_destination_and_retries_can_be_turned_off()
    {
        var (name, file) = await _lambda.RecorderFunction("success");
        var successes = await _sqs.NewQueue();
        await _lambda.Ok(HttpMethod.Put, ConfigPath(name), new
        {
            MaximumRetryAttempts = 0,
            DestinationConfig = new { OnSuccess = new { Destination = await _sqs.QueueArn(successes) } },
        });
        await InvokeEvent(name, new { n = 1 });
        var record = JsonDocument.Parse((await _sqs.ReceiveOne(successes)).Body).RootElement;
        Assert.Equal(("Success", 1), (record.GetProperty("requestContext").GetProperty("condition").GetString(),
            record.GetProperty("requestContext").GetProperty("approximateInvokeCount").GetInt32()));
        Assert.True(record.GetProperty("responsePayload").GetProperty("ok").GetBoolean());
        Assert.False(record.GetProperty("responseContext").TryGetProperty("functionError", out _));

        // With no retries, a failing event is tried once and ends at once.
        await InvokeEvent(name, new { fail = true });
        await LambdaAsyncSupport.Events(file, 2);
        await nephele.AdvanceClock("PT5M");
        await Task.Delay(200);
        Assert.Equal(2, (await LambdaAsyncSupport.Events(file, 2)).Count);
    }

    [Fact]
    public async Task The_dead_letter_queue_receives_the_event_when_there_is_no_on_failure_destination()
    {
        var dlq = await _sqs.NewQueue();
        var (name, file) = await _lambda.RecorderFunction("dlq", fail: true, new { DeadLetterConfig = new { TargetArn = await _sqs.QueueArn(dlq) } });
        await _lambda.Ok(HttpMethod.Put, ConfigPath(name), new { MaximumRetryAttempts = 0 });
        var accepted = await InvokeEvent(name, new { lost = "order" });
        await LambdaAsyncSupport.Events(file, 1);
        var dead = await _sqs.ReceiveOne(dlq);
        Assert.Equal("order", JsonDocument.Parse(dead.Body).RootElement.GetProperty("lost").GetString());
        Assert.Equal(accepted.Header("x-amzn-RequestId"), dead.MessageAttributes["RequestID"].StringValue);
        Assert.Equal(("Number", "200"), (dead.MessageAttributes["ErrorCode"].DataType, dead.MessageAttributes["ErrorCode"].StringValue));
        Assert.Equal("boom", dead.MessageAttributes["ErrorMessage"].StringValue);
    }

    [Fact]
    public async Task Event_invoke_configs_are_validated_and_round_trip()
    {
        var (name, _) = await _lambda.RecorderFunction("config");
        var (other, _) = await _lambda.RecorderFunction("other");
        var empty = await _lambda.Send(HttpMethod.Put, ConfigPath(name), new { });
        Assert.Equal(("InvalidParameterValueException", "You must specify at least one of error handling or destination setting."),
            (empty.ErrorCode, empty.Json.GetProperty("message").GetString()));
        var tooMany = await _lambda.Send(HttpMethod.Put, ConfigPath(name), new { MaximumRetryAttempts = 3 });
        Assert.Equal("ValidationException", tooMany.ErrorCode);
        var young = await _lambda.Send(HttpMethod.Put, ConfigPath(name), new { MaximumEventAgeInSeconds = 59 });
        Assert.Equal("ValidationException", young.ErrorCode);
        var self = await _lambda.Send(HttpMethod.Put, ConfigPath(name),
            new { DestinationConfig = new { OnSuccess = new { Destination = $"arn:aws:lambda:us-east-1:000000000000:function:{name}" } } });
        Assert.Equal("You can't specify the function as a destination for itself.", self.Json.GetProperty("message").GetString());
        var missing = await _lambda.Send(HttpMethod.Get, ConfigPath(name));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal($"The function arn:aws:lambda:us-east-1:000000000000:function:{name}:$LATEST doesn't have an EventInvokeConfig",
            missing.Json.GetProperty("Message").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _lambda.Send(HttpMethod.Post, ConfigPath(name), new { MaximumRetryAttempts = 1 })).Status);

        var put = await _lambda.Ok(HttpMethod.Put, ConfigPath(name), new
        {
            MaximumEventAgeInSeconds = 3600,
            DestinationConfig = new { OnFailure = new { Destination = $"arn:aws:lambda:us-east-1:000000000000:function:{other}" } },
        });
        Assert.Equal($"arn:aws:lambda:us-east-1:000000000000:function:{name}:$LATEST", put.GetProperty("FunctionArn").GetString());
        Assert.Equal(3600, put.GetProperty("MaximumEventAgeInSeconds").GetInt32());
        Assert.Equal(JsonValueKind.Object, put.GetProperty("DestinationConfig").GetProperty("OnSuccess").ValueKind);

        var updated = await _lambda.Ok(HttpMethod.Post, ConfigPath(name), new { MaximumRetryAttempts = 1 });
        Assert.Equal((1, 3600), (updated.GetProperty("MaximumRetryAttempts").GetInt32(), updated.GetProperty("MaximumEventAgeInSeconds").GetInt32()));
        Assert.Equal($"arn:aws:lambda:us-east-1:000000000000:function:{other}",
            updated.GetProperty("DestinationConfig").GetProperty("OnFailure").GetProperty("Destination").GetString());

        var list = await _lambda.Ok(HttpMethod.Get, ConfigPath(name) + "/list");
        Assert.Single(list.GetProperty("FunctionEventInvokeConfigs").EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await _lambda.Send(HttpMethod.Delete, ConfigPath(name))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _lambda.Send(HttpMethod.Delete, ConfigPath(name))).Status);
    }
}

public sealed class LambdaAsyncDurabilityTests
{
    [Fact]
    public async Task A_queued_event_survives_a_restart_and_runs_when_the_function_can_run_again()
    {
        using var data = new RestartableNephele();
        string file;
        string name;
        var server = await data.StartAsync();
        try
        {
            var lambda = new LambdaClient(new HttpClient { BaseAddress = server.Endpoint });
            (name, file) = await lambda.RecorderFunction("durable");
            // Reserved concurrency 0 throttles every attempt, so the event stays queued.
            await lambda.Ok(HttpMethod.Put, $"/2017-10-31/functions/{name}/concurrency", new { ReservedConcurrentExecutions = 0 });
            var accepted = await lambda.Invoke(name, new { keep = "me" }, headers: new() { ["X-Amz-Invocation-Type"] = "Event" });
            Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        }
        finally
        {
            await server.DisposeAsync();
        }

        server = await data.StartAsync();
        try
        {
            var http = new HttpClient { BaseAddress = server.Endpoint };
            var lambda = new LambdaClient(http);
            await lambda.Send(HttpMethod.Delete, $"/2017-10-31/functions/{name}/concurrency");
            // Throttled events back off up to minutes: moving the clock fires the next attempt.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!File.Exists(file) && DateTime.UtcNow < deadline)
            {
                (await http.PostAsync("/_nephele/clock", System.Net.Http.Json.JsonContent.Create(new Dictionary<string, string> { ["advance"] = "PT5M" }))).EnsureSuccessStatusCode();
                for (var i = 0; i < 40 && !File.Exists(file); i++) await Task.Delay(25);
            }
            var events = await LambdaAsyncSupport.Events(file, 1);
            Assert.Equal("me", events[0].GetProperty("keep").GetString());
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
