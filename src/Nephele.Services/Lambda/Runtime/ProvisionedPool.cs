using System.Collections.Concurrent;

namespace Nephele.Services.Lambda.Runtime;

/// <summary>
/// The pre-initialized environments of one provisioned concurrency config (a version or an alias). They are started
/// when the config is put, kept for as long as it exists (never idled away), and serve invocations of that qualifier
/// before any on-demand environment, without an init phase.
/// </summary>
internal sealed class ProvisionedPool(FunctionSpec spec, int requested)
{
    private int _allocated;

    public FunctionSpec Spec { get; } = spec;
    public int Requested { get; } = requested;
    public ConcurrentStack<ExecutionEnvironment> Idle { get; } = new();
    /// <summary>Environments that finished their init phase and are alive (idle or busy).</summary>
    public int Allocated => Volatile.Read(ref _allocated);
    /// <summary>AWS's StatusReason when an environment failed to initialize.</summary>
    public string? FailureReason { get; set; }
    public bool Retired { get; set; }

    public void Added() => Interlocked.Increment(ref _allocated);

    public void Lost() => Interlocked.Decrement(ref _allocated);
}
