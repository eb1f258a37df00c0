namespace Nephele.Core.Events;

/// <summary>
/// A service whose resources other services call and wait for (Lambda functions: Secrets Manager rotation invokes its
/// rotation function step by step). Unlike <see cref="IDeliveryTarget"/>, which only stores a message, this runs the
/// resource and answers with its result; callers must not hold a state transaction while awaiting it, since the code
/// that runs may call back into Nephele.
/// </summary>
public interface IInvocationTarget
{
    /// <summary>Runs the resource named by <paramref name="arn"/> (a function ARN, optionally qualified) with
    /// <paramref name="payload"/> and waits for its answer.</summary>
    Task<InvocationResult> InvokeAsync(string arn, byte[] payload, CancellationToken ct = default);

    /// <summary>Whether <paramref name="arn"/> names something that can be invoked, checked before a caller commits to
    /// using it (RotateSecret refuses a function that does not exist).</summary>
    bool Exists(string arn);
}

public enum InvocationOutcome
{
    /// <summary>The resource ran and answered.</summary>
    Succeeded,
    /// <summary>The resource ran and reported an error (a Lambda function error: Unhandled, Handled ...).</summary>
    Failed,
    /// <summary>The ARN names nothing that exists.</summary>
    TargetNotFound,
    /// <summary>The resource could not be run (throttled, its runtime is missing, Nephele is not listening yet ...).</summary>
    NotRun,
}

/// <summary>What an invocation answered: the payload, and on failure the error type and message.</summary>
public sealed record InvocationResult(InvocationOutcome Outcome, byte[] Payload, string? Error = null)
{
    public bool Succeeded => Outcome == InvocationOutcome.Succeeded;
}
