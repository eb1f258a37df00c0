using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Nephele.Core.Events;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.Lambda.AsyncInvocation;

namespace Nephele.Services.Lambda;

/// <summary>
/// Asynchronous invocation as AWS does it: InvocationType Event and deliveries from other services (SNS
/// subscriptions, S3 notifications, destinations) go into a durable queue; function errors are retried twice (one
/// minute, then two minutes later), throttles and system errors with back-off until the event is too old; what fails
/// for good goes to the on-failure destination, else to the function's dead-letter queue, and successes to the
/// on-success destination.
/// </summary>
public sealed partial class LambdaProvider : IDeliveryTarget
{
    private const int DefaultMaximumRetryAttempts = 2;
    private const int DefaultMaximumEventAgeSeconds = 21_600;

    private AsyncInvocationQueue? _asyncQueue;
    private ILogger? _asyncLog;

    private AsyncInvocationQueue AsyncQueue => _asyncQueue ?? throw new InvalidOperationException("The Lambda provider is not registered.");

    private ILogger AsyncLog => _asyncLog ??= _env.Logging.CreateLogger("Nephele.Lambda");

    private void RegisterAsyncInvocation(OperationRegistry operations)
    {
        _asyncQueue = new AsyncInvocationQueue(_env, AsyncLog, ProcessEventAsync);
        // SNS subscriptions, S3 notifications and destinations reach functions by ARN through the bus.
        _env.Events.RegisterTarget("lambda", this);
        RegisterEventInvokeConfig(operations);
        // Events queued before a restart run again.
        _asyncQueue.Start();
    }

    private async Task StopAsyncInvocationAsync()
    {
        if (_asyncQueue is { } queue) await queue.StopAsync();
    }

    /// <summary>A delivery to a function ARN (optionally qualified): stored in the queue, run in the background.</summary>
    public DeliveryResult Deliver(Delivery delivery)
    {
        var parts = delivery.TargetArn.Split(':');
        if (parts.Length is not (7 or 8) || parts[2] != "lambda" || parts[5] != "function")
            return new(DeliveryOutcome.TargetNotFound, $"Not a function ARN: {delivery.TargetArn}");
        var f = new FunctionRef(new Scope(parts[4], parts[3]), parts[6], parts.Length == 8 ? parts[7] : null);
        if (_store.Function(f.Scope, f.Name) is null) return new(DeliveryOutcome.TargetNotFound, $"Function not found: {f.Arn}");
        try
        {
            InvokedVersion(f);
        }
        catch (AwsException e)
        {
            return new(DeliveryOutcome.TargetNotFound, e.Message);
        }
        var payload = Encoding.UTF8.GetBytes(delivery.Body);
        if (payload.Length > MaxAsyncPayload) return new(DeliveryOutcome.Rejected, $"Request must be smaller than {MaxAsyncPayload} bytes for the InvokeFunction operation");
        EnqueueEvent(f, payload, null, Guid.NewGuid().ToString());
        return DeliveryResult.Delivered;
    }

    /// <summary>Stores an Event invocation; durable when this returns (or when the caller's transaction commits).</summary>
    private void EnqueueEvent(FunctionRef f, byte[] payload, string? clientContext, string requestId)
    {
        var now = _env.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        AsyncQueue.Enqueue(f.Scope, new AsyncEventRecord
        {
            RequestId = requestId,
            FunctionName = f.Name,
            Qualifier = f.Qualifier,
            Payload = payload.Length == 0 ? "{}" : Encoding.UTF8.GetString(payload),
            ClientContext = clientContext,
            EnqueuedMillis = now,
            DueMillis = now,
        });
    }

    /// <summary>Nephele's address for functions run outside a request; null until the server listens.</summary>
    private string? BackgroundEndpoint()
    {
        if (_env.Address.Endpoint is { } endpoint) return endpoint;
        if (_env.Options.Port == 0) return null;
        var host = _env.Options.Host is "0.0.0.0" or "" ? "127.0.0.1" : _env.Options.Host;
        return $"http://{(host.Contains(':') ? $"[{host}]" : host)}:{_env.Options.Port}";
    }

    /// <summary>One attempt at an event; returns it rescheduled, or null when it is finished (one way or another).</summary>
    private async Task<AsyncEventRecord?> ProcessEventAsync(Scope scope, AsyncEventRecord e)
    {
        var now = _env.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (_store.Function(scope, e.FunctionName) is not { } function)
        {
            LogEventDropped(AsyncLog, e.RequestId, e.FunctionName);
            return null;
        }
        var config = InvokeConfigFor(scope, e.FunctionName, e.Qualifier ?? LambdaStore.Latest);
        var maxAge = (config?.MaximumEventAgeInSeconds ?? DefaultMaximumEventAgeSeconds) * 1000L;
        var maxRetries = config?.MaximumRetryAttempts ?? DefaultMaximumRetryAttempts;
        if (now - e.EnqueuedMillis > maxAge)
        {
            Fail(scope, e, config, InvocationRecord.EventAgeExceeded);
            return null;
        }
        if (BackgroundEndpoint() is not { } endpoint)
        {
            e.DueMillis = now + 200;
            return e;
        }

        var f = new FunctionRef(scope, e.FunctionName, e.Qualifier);
        FunctionVersionRecord version;
        Runtime.InvokeOutcome outcome;
        try
        {
            version = InvokedVersion(f);
            var spec = await SpecAsync(f, version, endpoint);
            outcome = await _runtime.Value.InvokeAsync(spec, Encoding.UTF8.GetBytes(e.Payload), f.QualifiedArn, e.ClientContext, function.ReservedConcurrency,
                () => ReservedTotal(scope), false);
        }
        catch (AwsException ex) when (ex.Code == "ResourceNotFoundException")
        {
            LogEventDropped(AsyncLog, e.RequestId, e.FunctionName);
            return null;
        }
        catch (AwsException ex)
        {
            // Throttles and system errors: retried with exponential back-off (1 s doubling, at most 5 minutes) while the event is young enough.
            e.Throttles++;
            e.LastErrorCode = ex.Code;
            var delay = Math.Min(1000L << Math.Min(e.Throttles - 1, 10), 300_000L);
            if (now + delay - e.EnqueuedMillis > maxAge)
            {
                Fail(scope, e, config, InvocationRecord.EventAgeExceeded);
                return null;
            }
            e.DueMillis = now + delay;
            return e;
        }

        e.InvokeCount++;
        e.LastExecutedVersion = version.Version;
        e.LastFunctionError = outcome.FunctionError;
        e.LastResponse = Encoding.UTF8.GetString(outcome.Payload);
        if (outcome.FunctionError is null)
        {
            if (config?.OnSuccess is { } destination) SendRecord(destination, e, scope, InvocationRecord.Success);
            return null;
        }
        e.FunctionErrors++;
        if (e.FunctionErrors > maxRetries)
        {
            Fail(scope, e, config, InvocationRecord.RetriesExhausted);
            return null;
        }
        // AWS waits one minute before the first retry and two minutes before the second.
        e.DueMillis = _env.Clock.GetUtcNow().ToUnixTimeMilliseconds() + (e.FunctionErrors == 1 ? 60_000 : 120_000);
        return e;
    }

    private void Fail(Scope scope, AsyncEventRecord e, EventInvokeConfigRecord? config, string condition)
    {
        LogEventFailed(AsyncLog, e.RequestId, e.FunctionName, condition);
        if (config?.OnFailure is { } destination)
        {
            SendRecord(destination, e, scope, condition);
            return;
        }
        var version = _store.Version(scope, e.FunctionName, e.LastExecutedVersion ?? LambdaStore.Latest);
        if (version?.DeadLetterTargetArn is not { } dlq) return;
        // The dead-letter queue gets the event itself, with why it failed in message attributes.
        var message = e.LastFunctionError is not null ? ErrorMessageOf(e.LastResponse) : e.LastErrorCode ?? condition;
        var statusCode = e.InvokeCount > 0 ? "200" : e.LastErrorCode == "TooManyRequestsException" ? "429" : "500";
        Send(dlq, new Delivery
        {
            TargetArn = dlq,
            Body = e.Payload,
            SourceArn = FunctionArn(scope, e.FunctionName),
            Attributes =
            [
                new DeliveryAttribute("RequestID", "String", e.RequestId, null),
                new DeliveryAttribute("ErrorCode", "Number", statusCode, null),
                new DeliveryAttribute("ErrorMessage", "String", message.Length > 1024 ? message[..1024] : message, null),
            ],
        });
    }

    private void SendRecord(string destination, AsyncEventRecord e, Scope scope, string condition)
    {
        var functionArn = FunctionArn(scope, e.FunctionName, e.Qualifier ?? LambdaStore.Latest);
        Send(destination, new Delivery
        {
            TargetArn = destination,
            Body = InvocationRecord.Build(e, functionArn, condition, _env.Clock.GetUtcNow()),
            SourceArn = functionArn,
        });
    }

    private void Send(string destination, Delivery delivery)
    {
        var result = _env.Events.Deliver(delivery);
        if (result is null) LogNoDestination(AsyncLog, destination);
        else if (!result.Value.Succeeded) LogDestinationFailed(AsyncLog, destination, result.Value.Reason ?? "");
    }

    private static string ErrorMessageOf(string? response)
    {
        try
        {
            using var doc = JsonDocument.Parse(response ?? "");
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("errorMessage", out var m) && m.ValueKind == JsonValueKind.String)
                return m.GetString()!;
        }
        catch (JsonException)
        {
        }
        return response ?? "";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lambda dropped asynchronous event {RequestId}: function {Function} no longer exists")]
    private static partial void LogEventDropped(ILogger logger, string requestId, string function);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lambda asynchronous event {RequestId} of {Function} failed for good ({Condition})")]
    private static partial void LogEventFailed(ILogger logger, string requestId, string function, string condition);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lambda destination {Destination}: no service handles it in Nephele (stored only); the record was not sent")]
    private static partial void LogNoDestination(ILogger logger, string destination);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lambda could not deliver to destination {Destination}: {Reason}")]
    private static partial void LogDestinationFailed(ILogger logger, string destination, string reason);
}
