using System.Globalization;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.Lambda.AsyncInvocation;
using Nephele.Services.Lambda.EventSources;

namespace Nephele.Services.Lambda;

/// <summary>
/// Event source mappings: stored per account and region, keyed by UUID; each enabled mapping has a poller (see
/// EventSources/) that reads its source and invokes the function.
/// </summary>
public sealed partial class LambdaProvider
{
    private EventSourcePollers? _pollers;
    private DynamoDbStreamEventSource? _streamSource;

    private IResourceTable Mappings => _env.State.Table("lambda", "event-source-mappings");

    private EventSourcePollers Pollers => _pollers ?? throw new InvalidOperationException("The Lambda provider is not registered.");

    private void RegisterEventSourceMappings(OperationRegistry operations)
    {
        _streamSource = new DynamoDbStreamEventSource(_env.State, _env.Events, _env.Clock, InvokeFromSourceAsync, AsyncLog);
        _pollers = new EventSourcePollers([new SqsEventSource(_env.Events, _env.Clock, InvokeFromSourceAsync, AsyncLog), _streamSource], AsyncLog);
        operations
            .On("CreateEventSourceMapping", CreateEventSourceMapping)
            .On("GetEventSourceMapping", GetEventSourceMapping)
            .On("UpdateEventSourceMapping", UpdateEventSourceMapping)
            .On("DeleteEventSourceMapping", DeleteEventSourceMapping)
            .On("ListEventSourceMappings", ListEventSourceMappings);
        // Mappings stored before a restart poll again (once the other providers have registered their sources).
        _ = Task.Run(async () =>
        {
            foreach (var scope in Mappings.Scopes())
                foreach (var mapping in Mappings.Values(scope, LambdaAsyncJsonContext.Default.EventSourceMappingRecord))
                    await Pollers.ApplyAsync(scope, mapping.Uuid, mapping);
        });
    }

    private async Task StopEventSourcesAsync()
    {
        if (_pollers is { } pollers) await pollers.DisposeAsync();
    }

    /// <summary>One invocation for a poller: synchronous, on the function (or version, or alias) the mapping names.</summary>
    private async Task<SourceInvokeResult> InvokeFromSourceAsync(Scope scope, string functionArn, byte[] payload, CancellationToken ct)
    {
        var parts = functionArn.Split(':');
        var f = new FunctionRef(scope, parts[6], parts.Length == 8 ? parts[7] : null);
        var function = RequireFunction(f);
        var version = InvokedVersion(f);
        var endpoint = BackgroundEndpoint() ?? throw new AwsException("ServiceException", "Nephele is not listening yet.", 500);
        var spec = await SpecAsync(f, version, endpoint);
        var outcome = await _runtime.Value.InvokeAsync(spec, payload, f.QualifiedArn, null, function.ReservedConcurrency, () => ReservedTotal(scope), false);
        return new SourceInvokeResult(outcome.Payload, outcome.FunctionError);
    }

    private async ValueTask<Dictionary<string, object?>> CreateEventSourceMapping(RequestContext ctx, Dictionary<string, object?> input)
    {
        var sourceArn = input.GetString("EventSourceArn");
        if (string.IsNullOrEmpty(sourceArn))
            throw LambdaErrors.InvalidParameter(input.GetStruct("SelfManagedEventSource") is null ? "Unrecognized event source." : "Nephele does not support self-managed Kafka event sources.");
        var kind = Pollers.KindFor(sourceArn)
            ?? throw LambdaErrors.InvalidParameter(Core.Events.EventBus.ArnService(sourceArn) is "kinesis" or "kafka" or "mq" or "docdb"
                ? $"Nephele does not support {Core.Events.EventBus.ArnService(sourceArn)} event source mappings yet."
                : "Unrecognized event source, must be kinesis, dynamodb stream or sqs.");
        var f = ParseName(ctx, input);
        if (_store.Function(f.Scope, f.Name) is null) throw LambdaErrors.InvalidParameter("Function does not exist");
        if (f.Qualifier is not null) InvokedVersion(f);
        if (!kind.SourceExists(sourceArn))
            throw LambdaErrors.InvalidParameter(kind == _streamSource ? $"Stream not found: {sourceArn}" : "Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist or you do not have access to it.");

        var settings = MappingSettings(input, kind, sourceArn, null);
        var functionArn = f.Qualifier is null ? f.Arn : f.QualifiedArn;
        var mapping = _store.Transaction(() =>
        {
            if (Mappings.Values(ctx.Scope, LambdaAsyncJsonContext.Default.EventSourceMappingRecord)
                .FirstOrDefault(m => m.EventSourceArn == sourceArn && m.FunctionArn == functionArn) is { } existing)
                throw LambdaErrors.Conflict(kind == _streamSource
                    ? $"The event source arn (\" {sourceArn} \") and function (\" {f.Name} \") provided mapping already exists. Please update or delete the existing mapping with UUID {existing.Uuid}"
                    : $"An event source mapping with SQS arn (\" {sourceArn} \") and function (\" {f.Name} \") already exists. Please update or delete the existing mapping with UUID {existing.Uuid}");
            var created = settings with
            {
                Uuid = Guid.NewGuid().ToString(),
                EventSourceArn = sourceArn,
                FunctionArn = functionArn,
                Enabled = input.GetBool("Enabled") ?? true,
                LastModified = ctx.Now,
                Tags = input.GetStringMap("Tags"),
            };
            Mappings.Put(ctx.Scope, created.Uuid, created, LambdaAsyncJsonContext.Default.EventSourceMappingRecord);
            return created;
        });
        await Pollers.ApplyAsync(ctx.Scope, mapping.Uuid, mapping);
        ctx.ResponseStatus = 202;
        return MappingOutput(ctx.Scope, mapping, "Creating");
    }

    private Dictionary<string, object?> GetEventSourceMapping(RequestContext ctx, Dictionary<string, object?> input) =>
        MappingOutput(ctx.Scope, RequireMapping(ctx, input), null);

    private async ValueTask<Dictionary<string, object?>> UpdateEventSourceMapping(RequestContext ctx, Dictionary<string, object?> input)
    {
        var current = RequireMapping(ctx, input);
        var kind = Pollers.KindFor(current.EventSourceArn)!;
        var functionArn = current.FunctionArn;
        if (input.GetString("FunctionName") is { Length: > 0 })
        {
            var f = ParseName(ctx, input);
            if (_store.Function(f.Scope, f.Name) is null) throw LambdaErrors.InvalidParameter("Function does not exist");
            if (f.Qualifier is not null) InvokedVersion(f);
            functionArn = f.Qualifier is null ? f.Arn : f.QualifiedArn;
        }
        var settings = MappingSettings(input, kind, current.EventSourceArn, current);
        var enabled = input.GetBool("Enabled");
        var updated = settings with { FunctionArn = functionArn, Enabled = enabled ?? current.Enabled, LastModified = ctx.Now };
        _store.Transaction(() =>
        {
            if (Mappings.Get(ctx.Scope, current.Uuid) is null) throw MappingNotFound();
            Mappings.Put(ctx.Scope, updated.Uuid, updated, LambdaAsyncJsonContext.Default.EventSourceMappingRecord);
            return 0;
        });
        await Pollers.ApplyAsync(ctx.Scope, updated.Uuid, updated);
        ctx.ResponseStatus = 202;
        var state = enabled switch
        {
            true when !current.Enabled => "Enabling",
            false when current.Enabled => "Disabling",
            _ => updated.Enabled ? "Updating" : "Disabled",
        };
        return MappingOutput(ctx.Scope, updated, state);
    }

    private async ValueTask<Dictionary<string, object?>> DeleteEventSourceMapping(RequestContext ctx, Dictionary<string, object?> input)
    {
        var mapping = RequireMapping(ctx, input);
        Mappings.Delete(ctx.Scope, mapping.Uuid);
        await Pollers.ApplyAsync(ctx.Scope, mapping.Uuid, null);
        _streamSource?.Forget(ctx.Scope, mapping.Uuid);
        ctx.ResponseStatus = 202;
        return MappingOutput(ctx.Scope, mapping, "Deleting");
    }

    private Dictionary<string, object?> ListEventSourceMappings(RequestContext ctx, Dictionary<string, object?> input)
    {
        var sourceArn = input.GetString("EventSourceArn");
        string? functionArn = null;
        if (input.GetString("FunctionName") is { Length: > 0 })
        {
            var f = ParseName(ctx, input);
            functionArn = f.Qualifier is null ? f.Arn : f.QualifiedArn;
        }
        var max = input.GetInt("MaxItems") ?? 100;
        input["MaxItems"] = (long)max;
        var matching = Mappings.Values(ctx.Scope, LambdaAsyncJsonContext.Default.EventSourceMappingRecord)
            .Where(m => sourceArn is null || m.EventSourceArn == sourceArn)
            .Where(m => functionArn is null || m.FunctionArn == functionArn);
        var (page, next) = Page(matching, m => m.Uuid, input);
        return new()
        {
            ["EventSourceMappings"] = page.Select(m => (object?)MappingOutput(ctx.Scope, m, null)).ToList(),
            ["NextMarker"] = next,
        };
    }

    private EventSourceMappingRecord RequireMapping(RequestContext ctx, Dictionary<string, object?> input) =>
        Mappings.Get(ctx.Scope, input.RequireString("UUID"), LambdaAsyncJsonContext.Default.EventSourceMappingRecord) ?? throw MappingNotFound();

    private static AwsException MappingNotFound() => LambdaErrors.ResourceNotFound("The resource you requested does not exist.");

    /// <summary>The validated settings of a create (no <paramref name="current"/>) or an update (unchanged ones kept).</summary>
    private EventSourceMappingRecord MappingSettings(Dictionary<string, object?> input, IEventSourceKind kind, string sourceArn, EventSourceMappingRecord? current)
    {
        var batchSize = input.GetInt("BatchSize") ?? current?.BatchSize ?? kind.DefaultBatchSize(sourceArn);
        if (batchSize is < 1 or > 10_000)
            throw LambdaErrors.Constraint(batchSize, "batchSize", batchSize < 1 ? "Member must have value greater than or equal to 1" : "Member must have value less than or equal to 10000");
        var window = input.GetInt("MaximumBatchingWindowInSeconds") ?? current?.MaximumBatchingWindowInSeconds ?? 0;
        if (window is < 0 or > 300)
            throw LambdaErrors.Constraint(window, "maximumBatchingWindowInSeconds", window < 0 ? "Member must have value greater than or equal to 0" : "Member must have value less than or equal to 300");
        kind.Validate(sourceArn, batchSize, window);

        var responseTypes = input.ContainsKey("FunctionResponseTypes") ? [.. input.GetStrings("FunctionResponseTypes")] : current?.FunctionResponseTypes ?? [];
        foreach (var type in responseTypes)
            if (type != "ReportBatchItemFailures")
                throw LambdaErrors.Constraint($"[{string.Join(", ", responseTypes)}]", "functionResponseTypes", "Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]");

        var patterns = current?.FilterPatterns ?? [];
        if (input.GetStruct("FilterCriteria") is { } criteria)
        {
            patterns = [.. (criteria.GetList("Filters") ?? []).OfType<Dictionary<string, object?>>().Select(f => f.GetString("Pattern") ?? "")];
            foreach (var pattern in patterns)
            {
                try
                {
                    Sns.FilterPolicy.Validate(pattern, "MessageBody", "");
                }
                catch (AwsException)
                {
                    throw LambdaErrors.InvalidParameter("Invalid filter pattern definition.");
                }
            }
        }

        var concurrency = current?.MaximumConcurrency;
        if (input.GetStruct("ScalingConfig") is { } scaling)
        {
            concurrency = scaling.GetInt("MaximumConcurrency");
            if (concurrency is < 2 or > 1000)
                throw LambdaErrors.Constraint(concurrency, "scalingConfig.maximumConcurrency",
                    concurrency < 2 ? "Member must have value greater than or equal to 2" : "Member must have value less than or equal to 1000");
        }
        var settings = new EventSourceMappingRecord
        {
            Uuid = current?.Uuid ?? "",
            EventSourceArn = sourceArn,
            FunctionArn = current?.FunctionArn ?? "",
            BatchSize = batchSize,
            MaximumBatchingWindowInSeconds = window,
            FunctionResponseTypes = responseTypes,
            FilterPatterns = patterns,
            MaximumConcurrency = concurrency,
            KmsKeyArn = input.GetString("KMSKeyArn") ?? current?.KmsKeyArn,
            Enabled = current?.Enabled ?? true,
            LastModified = current?.LastModified ?? DateTimeOffset.UnixEpoch,
            Tags = current?.Tags ?? [],
        };
        return kind == _streamSource ? DynamoDbStreamEventSource.Settings(input, settings, current) : settings;
    }

    /// <summary>AWS's EventSourceMappingConfiguration; <paramref name="transition"/> is the state a write answers with.</summary>
    private Dictionary<string, object?> MappingOutput(Scope scope, EventSourceMappingRecord m, string? transition)
    {
        var output = new Dictionary<string, object?>
        {
            ["UUID"] = m.Uuid,
            ["BatchSize"] = (long)m.BatchSize,
            ["MaximumBatchingWindowInSeconds"] = (long)m.MaximumBatchingWindowInSeconds,
            ["EventSourceArn"] = m.EventSourceArn,
            ["FunctionArn"] = m.FunctionArn,
            ["LastModified"] = m.LastModified,
            ["State"] = transition ?? (m.Enabled ? "Enabled" : "Disabled"),
            ["StateTransitionReason"] = "USER_INITIATED",
            ["FunctionResponseTypes"] = m.FunctionResponseTypes.Select(t => (object?)t).ToList(),
            ["EventSourceMappingArn"] = string.Create(CultureInfo.InvariantCulture, $"arn:aws:lambda:{scope.Region}:{scope.AccountId}:event-source-mapping:{m.Uuid}"),
        };
        if (m.FilterPatterns.Count > 0)
            output["FilterCriteria"] = new Dictionary<string, object?>
            {
                ["Filters"] = m.FilterPatterns.Select(p => (object?)new Dictionary<string, object?> { ["Pattern"] = p }).ToList(),
            };
        if (m.MaximumConcurrency is { } concurrency)
            output["ScalingConfig"] = new Dictionary<string, object?> { ["MaximumConcurrency"] = (long)concurrency };
        if (m.KmsKeyArn is not null) output["KMSKeyArn"] = m.KmsKeyArn;
        if (m.StartingPosition is not null) _streamSource?.Output(scope, m, output);
        return output;
    }
}
