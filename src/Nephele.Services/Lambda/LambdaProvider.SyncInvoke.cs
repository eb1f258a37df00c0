using System.Text;
using Nephele.Core.Events;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Lambda;

/// <summary>
/// Synchronous invocations from other services (Secrets Manager's rotation function): a RequestResponse invocation of a
/// function ARN, run outside any request with Nephele's own address as the function's AWS_ENDPOINT_URL.
/// </summary>
public sealed partial class LambdaProvider : IInvocationTarget
{
    private void RegisterSyncInvoke() => _env.Events.RegisterInvoker("lambda", this);

    public bool Exists(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var parts = arn.Split(':');
        if (parts.Length is not (7 or 8) || parts[2] != "lambda" || parts[5] != "function") return false;
        var f = new FunctionRef(new Scope(parts[4], parts[3]), parts[6], parts.Length == 8 ? parts[7] : null);
        if (_store.Function(f.Scope, f.Name) is null) return false;
        try
        {
            InvokedVersion(f);
            return true;
        }
        catch (AwsException)
        {
            return false;
        }
    }

    public async Task<InvocationResult> InvokeAsync(string arn, byte[] payload, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var parts = arn.Split(':');
        if (parts.Length is not (7 or 8) || parts[2] != "lambda" || parts[5] != "function")
            return new(InvocationOutcome.TargetNotFound, [], $"Not a function ARN: {arn}");
        var f = new FunctionRef(new Scope(parts[4], parts[3]), parts[6], parts.Length == 8 ? parts[7] : null);
        if (_store.Function(f.Scope, f.Name) is not { } function) return new(InvocationOutcome.TargetNotFound, [], $"Function not found: {f.Arn}");
        if (BackgroundEndpoint() is not { } endpoint) return new(InvocationOutcome.NotRun, [], "Nephele is not listening yet.");
        try
        {
            var version = InvokedVersion(f);
            var spec = await SpecAsync(f, version, endpoint);
            var outcome = await _runtime.Value.InvokeAsync(spec, payload, f.QualifiedArn, null, function.ReservedConcurrency, () => ReservedTotal(f.Scope), false);
            return outcome.FunctionError is null
                ? new(InvocationOutcome.Succeeded, outcome.Payload)
                : new(InvocationOutcome.Failed, outcome.Payload, $"{outcome.FunctionError}: {Encoding.UTF8.GetString(outcome.Payload)}");
        }
        catch (AwsException e) when (e.Code == "ResourceNotFoundException")
        {
            return new(InvocationOutcome.TargetNotFound, [], e.Message);
        }
        catch (AwsException e)
        {
            return new(InvocationOutcome.NotRun, [], $"{e.Code}: {e.Message}");
        }
    }
}
