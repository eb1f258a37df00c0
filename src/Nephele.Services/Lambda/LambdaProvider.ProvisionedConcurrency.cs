using System.Globalization;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Lambda;

/// <summary>
/// Provisioned concurrency: a config on a published version or an alias really starts that many execution environments
/// and runs their init phase ahead of time (Status IN_PROGRESS until every one is initialized, then READY with
/// AllocatedProvisionedConcurrentExecutions). Invocations of that qualifier use them first, with no init phase. The
/// allocation is carved out of the function's reserved concurrency, else out of the account's unreserved pool.
/// Configs are stored; a restarted Nephele provisions them again.
/// </summary>
public sealed partial class LambdaProvider
{
    private void RegisterProvisionedConcurrency(OperationRegistry operations) => operations
        .On("PutProvisionedConcurrencyConfig", PutProvisionedConcurrencyConfig)
        .On("GetProvisionedConcurrencyConfig", GetProvisionedConcurrencyConfig)
        .On("DeleteProvisionedConcurrencyConfig", DeleteProvisionedConcurrencyConfig)
        .On("ListProvisionedConcurrencyConfigs", ListProvisionedConcurrencyConfigs);

    private static string ProvisionedKey(Scope scope, string function, string qualifier) => $"{scope}/{function}/{qualifier}";

    private async ValueTask<Dictionary<string, object?>> PutProvisionedConcurrencyConfig(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input);
        var requested = input.GetInt("ProvisionedConcurrentExecutions")
            ?? throw LambdaErrors.Constraint(null, "provisionedConcurrentExecutions", "Member must not be null");
        if (requested < 1) throw LambdaErrors.Constraint(requested, "provisionedConcurrentExecutions", "Member must have value greater than or equal to 1");
        var qualifier = f.Qualifier ?? throw LambdaErrors.Constraint(null, "qualifier", "Member must not be null");
        if (qualifier == LambdaStore.Latest)
            throw LambdaErrors.InvalidParameter("Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
        var version = ResolveVersion(f, qualifier);
        if (!IsVersionNumber(qualifier) && _store.Alias(f.Scope, f.Name, qualifier) is { AdditionalVersionWeights.Count: > 0 })
            throw LambdaErrors.InvalidParameter("Alias with weights can not be used with Provisioned Concurrency");
        var record = _store.Transaction(() =>
        {
            var function = RequireFunction(f);
            var others = _store.ProvisionedConfigs(f.Scope, f.Name).Where(c => c.Qualifier != qualifier).Sum(c => c.Requested);
            if (function.ReservedConcurrency is { } reserved)
            {
                if (others + requested > reserved)
                    throw LambdaErrors.InvalidParameter("Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function");
            }
            else if (AccountConcurrency - (ReservedTotal(f.Scope) - ProvisionedOf(f.Scope, f.Name)) - others - requested < MinimumUnreserved)
                throw LambdaErrors.InvalidParameter($"Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [{MinimumUnreserved}].");
            var record = new ProvisionedConcurrencyRecord { FunctionName = f.Name, Qualifier = qualifier, Requested = requested, LastModified = ctx.Now };
            _store.PutProvisioned(f.Scope, record);
            return record;
        });
        var spec = await SpecAsync(f with { Qualifier = qualifier }, version, $"http://{ctx.Request.Host}");
        _runtime.Value.Provision(ProvisionedKey(f.Scope, f.Name, qualifier), spec, requested);
        return ProvisionedOutput(f.Scope, record);
    }

    private Dictionary<string, object?> GetProvisionedConcurrencyConfig(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input);
        var qualifier = f.Qualifier ?? throw LambdaErrors.Constraint(null, "qualifier", "Member must not be null");
        ResolveVersion(f, qualifier);
        var record = _store.Provisioned(f.Scope, f.Name, qualifier)
            ?? throw new AwsException("ProvisionedConcurrencyConfigNotFoundException", "No Provisioned Concurrency Config found for this function", 404,
                fields: new() { ["Type"] = "User" });
        return ProvisionedOutput(f.Scope, record);
    }

    private Dictionary<string, object?> DeleteProvisionedConcurrencyConfig(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input);
        var qualifier = f.Qualifier ?? throw LambdaErrors.Constraint(null, "qualifier", "Member must not be null");
        ResolveVersion(f, qualifier);
        _store.DeleteProvisioned(f.Scope, f.Name, qualifier);
        if (_runtime.IsValueCreated) _runtime.Value.Unprovision(ProvisionedKey(f.Scope, f.Name, qualifier));
        return new() { ["StatusCode"] = 204L };
    }

    private Dictionary<string, object?> ListProvisionedConcurrencyConfigs(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input, allowQualifier: false);
        RequireFunction(f);
        var max = input.GetInt("MaxItems") ?? 50;
        if (max is < 1 or > 50) throw LambdaErrors.Constraint(max, "maxItems", "Member must have value between 1 and 50");
        var (page, next) = Page(_store.ProvisionedConfigs(f.Scope, f.Name), c => c.Qualifier, input, 50);
        var items = page.Select(c =>
        {
            var item = ProvisionedOutput(f.Scope, c);
            item["FunctionArn"] = FunctionArn(f.Scope, f.Name, c.Qualifier);
            return (object?)item;
        }).ToList();
        return new() { ["ProvisionedConcurrencyConfigs"] = items, ["NextMarker"] = next };
    }

    private Dictionary<string, object?> ProvisionedOutput(Scope scope, ProvisionedConcurrencyRecord record)
    {
        var status = _runtime.IsValueCreated ? _runtime.Value.ProvisionedStatus(ProvisionedKey(scope, record.FunctionName, record.Qualifier)) : null;
        var allocated = Math.Min(status?.Allocated ?? 0, record.Requested);
        var output = new Dictionary<string, object?>
        {
            ["RequestedProvisionedConcurrentExecutions"] = (long)record.Requested,
            ["AvailableProvisionedConcurrentExecutions"] = (long)allocated,
            ["AllocatedProvisionedConcurrentExecutions"] = (long)allocated,
            ["Status"] = status?.FailureReason is not null ? "FAILED" : allocated >= record.Requested ? "READY" : "IN_PROGRESS",
            ["LastModified"] = record.LastModified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture),
        };
        if (status?.FailureReason is { } reason)
            output["StatusReason"] = $"Provisioned Concurrency configuration failed to be applied. Reason: {reason}";
        return output;
    }

    /// <summary>Provisioned concurrency of one function (all its qualifiers).</summary>
    private int ProvisionedOf(Scope scope, string function) => _store.ProvisionedConfigs(scope, function).Sum(c => c.Requested);

    /// <summary>After a version or alias is deleted: its config goes with it.</summary>
    private void DeleteProvisionedOf(Scope scope, string function, string qualifier)
    {
        if (_store.DeleteProvisioned(scope, function, qualifier) && _runtime.IsValueCreated)
            _runtime.Value.Unprovision(ProvisionedKey(scope, function, qualifier));
    }

    /// <summary>A restarted Nephele provisions the stored configs again, once it knows its own address (for AWS_ENDPOINT_URL).</summary>
    private void RestoreProvisionedConcurrency()
    {
        if (_env.Options.Ephemeral) return;
        _ = Task.Run(async () =>
        {
            try
            {
                var scopes = _store.ProvisionedScopes();
                if (scopes.Count == 0) return;
                for (var i = 0; i < 200 && _env.Address.Endpoint is null; i++) await Task.Delay(50);
                var endpoint = _env.Address.Endpoint ?? "http://localhost:4566";
                foreach (var scope in scopes)
                    foreach (var config in _store.ProvisionedConfigs(scope).ToList())
                    {
                        var f = new FunctionRef(scope, config.FunctionName, config.Qualifier);
                        var version = ResolveVersion(f, config.Qualifier);
                        _runtime.Value.Provision(ProvisionedKey(scope, config.FunctionName, config.Qualifier), await SpecAsync(f, version, endpoint),
                            config.Requested);
                    }
            }
            catch (Exception e) when (e is AwsException or IOException or ObjectDisposedException or InvalidOperationException)
            {
            }
        });
    }
}
