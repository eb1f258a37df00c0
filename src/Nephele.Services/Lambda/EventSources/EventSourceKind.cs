using Nephele.Core.State;
using Nephele.Services.Lambda.AsyncInvocation;

namespace Nephele.Services.Lambda.EventSources;

/// <summary>Runs one invocation for a poller: the function (ARN, maybe qualified) with the batch's event.</summary>
internal delegate Task<SourceInvokeResult> SourceInvoker(Scope scope, string functionArn, byte[] payload, CancellationToken ct);

/// <summary>What an invocation from a poller produced; <see cref="FunctionError"/> is null on success.</summary>
internal sealed record SourceInvokeResult(byte[] Payload, string? FunctionError);

/// <summary>
/// One kind of event source (SQS; DynamoDB Streams and Kinesis later): how its mappings are validated and
/// defaulted, and the poller that reads it and invokes the function. One class per kind.
/// </summary>
internal interface IEventSourceKind
{
    /// <summary>The ARN service field this kind handles ("sqs").</summary>
    string ArnService { get; }

    /// <summary>The batch size when none is given.</summary>
    int DefaultBatchSize(string eventSourceArn);

    /// <summary>Throws AWS's error for settings this source does not allow (batch size limits, windows ...).</summary>
    void Validate(string eventSourceArn, int batchSize, int batchingWindow);

    /// <summary>Whether the source exists now (a mapping to a missing source is refused).</summary>
    bool SourceExists(string eventSourceArn);

    /// <summary>Starts polling for one enabled mapping; disposing the poller stops it.</summary>
    IEventSourcePoller Start(Scope scope, EventSourceMappingRecord mapping);
}

internal interface IEventSourcePoller : IAsyncDisposable;
