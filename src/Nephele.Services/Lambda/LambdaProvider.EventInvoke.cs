using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.Lambda.AsyncInvocation;

namespace Nephele.Services.Lambda;

/// <summary>
/// Event invoke configs: per function version or alias, how often asynchronous invocations are retried, how old
/// an event may get, and where records of successes and failures go (SQS, SNS, Lambda; EventBridge is stored).
/// </summary>
public sealed partial class LambdaProvider
{
    private IResourceTable InvokeConfigs => _env.State.Table("lambda", "event-invoke-configs");

    private void RegisterEventInvokeConfig(OperationRegistry operations) => operations
        .On("PutFunctionEventInvokeConfig", (ctx, input) => WriteEventInvokeConfig(ctx, input, update: false))
        .On("UpdateFunctionEventInvokeConfig", (ctx, input) => WriteEventInvokeConfig(ctx, input, update: true))
        .On("GetFunctionEventInvokeConfig", GetFunctionEventInvokeConfig)
        .On("DeleteFunctionEventInvokeConfig", DeleteFunctionEventInvokeConfig)
        .On("ListFunctionEventInvokeConfigs", ListFunctionEventInvokeConfigs);

    internal EventInvokeConfigRecord? InvokeConfigFor(Scope scope, string function, string qualifier) =>
        InvokeConfigs.Get(scope, $"{function}:{qualifier}", LambdaAsyncJsonContext.Default.EventInvokeConfigRecord);

    /// <summary>Put replaces the whole config; Update changes only the settings given and needs an existing config.</summary>
    private Dictionary<string, object?> WriteEventInvokeConfig(RequestContext ctx, Dictionary<string, object?> input, bool update)
    {
        var f = ParseName(ctx, input);
        var retries = input.GetInt("MaximumRetryAttempts");
        var age = input.GetInt("MaximumEventAgeInSeconds");
        var destinations = input.GetStruct("DestinationConfig");
        if (retries is < 0) throw LambdaErrors.Constraint(retries, "maximumRetryAttempts", "Member must have value greater than or equal to 0");
        if (retries is > 2) throw LambdaErrors.Constraint(retries, "maximumRetryAttempts", "Member must have value less than or equal to 2");
        if (age is < 60) throw LambdaErrors.Constraint(age, "maximumEventAgeInSeconds", "Member must have value greater than or equal to 60");
        if (age is > 21_600) throw LambdaErrors.Constraint(age, "maximumEventAgeInSeconds", "Member must have value less than or equal to 21600");
        if (retries is null && age is null && destinations is null)
            throw LambdaErrors.InvalidParameter("You must specify at least one of error handling or destination setting.");
        var qualifier = RequireInvokeConfigTarget(f);
        var onSuccess = destinations?.GetStruct("OnSuccess")?.GetString("Destination");
        var onFailure = destinations?.GetStruct("OnFailure")?.GetString("Destination");
        ValidateDestinations(f, onSuccess, onFailure);

        var key = $"{f.Name}:{qualifier}";
        var record = _store.Transaction(() =>
        {
            var existing = InvokeConfigs.Get(f.Scope, key, LambdaAsyncJsonContext.Default.EventInvokeConfigRecord);
            if (update && existing is null) throw NoInvokeConfig(f, qualifier);
            var written = update
                ? existing! with
                {
                    MaximumRetryAttempts = retries ?? existing.MaximumRetryAttempts,
                    MaximumEventAgeInSeconds = age ?? existing.MaximumEventAgeInSeconds,
                    OnSuccess = destinations is null ? existing.OnSuccess : NullIfEmpty(onSuccess),
                    OnFailure = destinations is null ? existing.OnFailure : NullIfEmpty(onFailure),
                    LastModified = ctx.Now,
                }
                : new EventInvokeConfigRecord
                {
                    FunctionName = f.Name,
                    Qualifier = qualifier,
                    MaximumRetryAttempts = retries,
                    MaximumEventAgeInSeconds = age,
                    OnSuccess = NullIfEmpty(onSuccess),
                    OnFailure = NullIfEmpty(onFailure),
                    LastModified = ctx.Now,
                };
            InvokeConfigs.Put(f.Scope, key, written, LambdaAsyncJsonContext.Default.EventInvokeConfigRecord);
            return written;
        });
        return InvokeConfigOutput(f.Scope, record);
    }

    private Dictionary<string, object?> GetFunctionEventInvokeConfig(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input);
        var qualifier = f.Qualifier ?? LambdaStore.Latest;
        var record = InvokeConfigFor(f.Scope, f.Name, qualifier) ?? throw NoInvokeConfig(f, qualifier);
        return InvokeConfigOutput(f.Scope, record);
    }

    private Dictionary<string, object?> DeleteFunctionEventInvokeConfig(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input);
        var qualifier = f.Qualifier ?? LambdaStore.Latest;
        if (!InvokeConfigs.Delete(f.Scope, $"{f.Name}:{qualifier}")) throw NoInvokeConfig(f, qualifier);
        return [];
    }

    private Dictionary<string, object?> ListFunctionEventInvokeConfigs(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input, allowQualifier: false);
        if (_store.Function(f.Scope, f.Name) is null) throw LambdaErrors.ResourceNotFound("The function doesn't exist.");
        var max = input.GetInt("MaxItems") ?? 50;
        if (max is < 1 or > 50) throw LambdaErrors.Constraint(max, "maxItems", "Member must have value between 1 and 50");
        input["MaxItems"] = (long)max;
        var (page, next) = Page(InvokeConfigs.Values(f.Scope, LambdaAsyncJsonContext.Default.EventInvokeConfigRecord, f.Name + ":"), c => c.Qualifier, input);
        return new()
        {
            ["FunctionEventInvokeConfigs"] = page.Select(c => (object?)InvokeConfigOutput(f.Scope, c)).ToList(),
            ["NextMarker"] = next,
        };
    }

    /// <summary>Removes a deleted function's configs (inside its deletion's transaction).</summary>
    private void DeleteEventInvokeConfigs(Scope scope, string function)
    {
        foreach (var row in InvokeConfigs.List(scope, function + ":")) InvokeConfigs.Delete(scope, row.Key);
    }

    /// <summary>The qualifier a config is for; the function and the version or alias must exist.</summary>
    private string RequireInvokeConfigTarget(FunctionRef f)
    {
        if (_store.Function(f.Scope, f.Name) is null) throw LambdaErrors.ResourceNotFound("The function doesn't exist.");
        var qualifier = f.Qualifier ?? LambdaStore.Latest;
        var exists = qualifier == LambdaStore.Latest
            || (IsVersionNumber(qualifier) ? _store.Version(f.Scope, f.Name, qualifier) is not null : _store.Alias(f.Scope, f.Name, qualifier) is not null);
        if (!exists) throw LambdaErrors.ResourceNotFound("The function doesn't exist.");
        return qualifier;
    }

    /// <summary>Destinations are SQS queues, SNS topics, other Lambda functions and EventBridge buses (S3 only on failure).</summary>
    private void ValidateDestinations(FunctionRef f, string? onSuccess, string? onFailure)
    {
        var invalid = false;
        foreach (var (arn, member) in new[] { (onSuccess, "onSuccess"), (onFailure, "onFailure") })
        {
            if (string.IsNullOrEmpty(arn)) continue;
            if (!DestinationArnPattern().IsMatch(arn))
                throw LambdaErrors.Constraint(arn, $"destinationConfig.{member}.destination",
                    "Member must satisfy regular expression pattern: ^$|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)");
            switch (arn.Split(':')[2])
            {
                case "lambda":
                    var parts = arn.Split(':');
                    if (parts.Length < 7 || parts[5] != "function" || _store.Function(new Scope(parts[4], parts[3]), parts[6]) is null)
                        throw LambdaErrors.InvalidParameter($"The destination ARN {arn} is invalid.");
                    if (parts[6] == f.Name && parts[4] == f.Scope.AccountId && parts[3] == f.Scope.Region)
                        throw LambdaErrors.InvalidParameter("You can't specify the function as a destination for itself.");
                    break;
                case "sqs" or "sns" or "events":
                    break;
                case "s3" when member == "onFailure":
                    break;
                default:
                    invalid = true;
                    break;
            }
        }
        if (invalid)
        {
            var success = string.IsNullOrEmpty(onSuccess) ? "null" : $"OnSuccess(destination={onSuccess})";
            var failure = string.IsNullOrEmpty(onFailure) ? "null" : $"OnFailure(destination={onFailure})";
            throw LambdaErrors.InvalidParameter($"The provided destination config DestinationConfig(onSuccess={success}, onFailure={failure}) is invalid.");
        }
    }

    private static AwsException NoInvokeConfig(FunctionRef f, string qualifier) =>
        LambdaErrors.ResourceNotFound($"The function {FunctionArn(f.Scope, f.Name, qualifier)} doesn't have an EventInvokeConfig");

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static Dictionary<string, object?> InvokeConfigOutput(Scope scope, EventInvokeConfigRecord c) => new()
    {
        ["LastModified"] = c.LastModified,
        ["FunctionArn"] = FunctionArn(scope, c.FunctionName, c.Qualifier),
        ["MaximumRetryAttempts"] = c.MaximumRetryAttempts is { } r ? (long)r : null,
        ["MaximumEventAgeInSeconds"] = c.MaximumEventAgeInSeconds is { } a ? (long)a : null,
        ["DestinationConfig"] = new Dictionary<string, object?>
        {
            ["OnSuccess"] = c.OnSuccess is null ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["Destination"] = c.OnSuccess },
            ["OnFailure"] = c.OnFailure is null ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["Destination"] = c.OnFailure },
        },
    };

    [System.Text.RegularExpressions.GeneratedRegex(@"^(|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1})?:(\d{12})?:(.*))$")]
    private static partial System.Text.RegularExpressions.Regex DestinationArnPattern();
}
