using System.Text.Json;
using Microsoft.Extensions.Logging;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.SecretsManager;

/// <summary>
/// Rotation by a Lambda function, as AWS runs it: RotateSecret stores the configuration, attaches AWSPENDING to a new
/// empty version named by the ClientRequestToken and invokes the function synchronously for each step (createSecret,
/// setSecret, testSecret, finishSecret) with the event {"Step", "SecretId", "ClientRequestToken", "RotationToken"}.
/// The function, running in Nephele's Lambda, calls back through AWS_ENDPOINT_URL: PutSecretValue fills the pending
/// version, UpdateSecretVersionStage moves AWSCURRENT onto it. A rotation is complete when AWSCURRENT is on the pending
/// version; Secrets Manager then removes AWSPENDING and schedules the next one. A step that fails leaves AWSPENDING on
/// the version, and the next RotateSecret answers that the previous rotation isn't complete.
/// </summary>
public sealed partial class SecretsManagerProvider
{
    private static readonly string[] RotationSteps = ["createSecret", "setSecret", "testSecret", "finishSecret"];

    private async ValueTask<Dictionary<string, object?>> RotateSecret(RequestContext ctx, Dictionary<string, object?> input)
    {
        var id = input.RequireString("SecretId");
        var lambdaArn = input.GetString("RotationLambdaARN");
        if (lambdaArn is { Length: > 2048 }) throw InvalidParameter("RotationLambdaARN must <= 2048 characters long.");
        var rules = RotationSchedule.Read(input);
        var immediately = input.GetBool("RotateImmediately") ?? true;
        var token = Token(input);
        var functionArn = lambdaArn ?? Writable(ctx, id).RotationLambdaARN
            ?? throw InvalidRequest("No Lambda rotation function ARN is associated with this secret.");
        if (env.Events.InvokerFor(functionArn) is not { } invoker || !invoker.Exists(functionArn))
            throw new AwsException("AccessDeniedException",
                "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.");

        var record = _store.Transaction(() =>
        {
            var secret = Writable(ctx, id);
            if (secret.PendingRotation() is { } pending && pending.VersionId != token)
                throw InvalidRequest("A previous rotation isn't complete. That rotation will be reattempted.");
            var now = ctx.Now;
            var effectiveRules = rules ?? secret.RotationRules;
            secret = secret with
            {
                RotationLambdaARN = functionArn,
                RotationRules = effectiveRules,
                RotationEnabled = effectiveRules is not null,
                // Without an immediate rotation the schedule starts now; otherwise when this rotation completes.
                NextRotationDate = effectiveRules is not null ? RotationSchedule.Next(effectiveRules, now) : null,
                LastChangedDate = now,
            };
            if (immediately) secret = BeginRotation(secret, token, now);
            Save(ctx, secret);
            return secret;
        });
        if (immediately) await RunRotationAsync(ctx.Scope, record.Name, token, functionArn);
        return Identify(record, immediately ? token : null);
    }

    private Dictionary<string, object?> CancelRotateSecret(RequestContext ctx, Dictionary<string, object?> input)
    {
        var id = input.RequireString("SecretId");
        return _store.Transaction(() =>
        {
            var secret = Writable(ctx, id);
            if (secret.RotationLambdaARN is null)
                throw InvalidRequest("You tried to enable rotation on a secret that doesn't already have a Lambda function ARN configured "
                    + "and you didn't include such an ARN as a parameter in this call.");
            // The pending version stays: AWS leaves removing AWSPENDING from it (or rolling back) to the caller.
            var pending = secret.PendingRotation();
            secret = secret with { RotationEnabled = false, NextRotationDate = null, RotationToken = null, LastChangedDate = ctx.Now };
            Save(ctx, secret);
            return Identify(secret, pending?.VersionId);
        });
    }

    /// <summary>Attaches AWSPENDING to a new, empty version <paramref name="token"/> (or keeps the pending version of a
    /// rotation that is being reattempted) and issues the rotation's RotationToken.</summary>
    private static SecretRecord BeginRotation(SecretRecord secret, string token, DateTimeOffset now)
    {
        if (secret.Versions.All(v => v.VersionId != token))
            secret = secret with { Versions = [.. secret.Versions, new SecretVersion { VersionId = token, CreatedDate = now }] };
        return MoveStage(secret, Pending, token) with { RotationToken = Guid.NewGuid().ToString() };
    }

    /// <summary>Runs the four steps; true when the rotation completed (AWSCURRENT moved to the pending version).</summary>
    private async Task<bool> RunRotationAsync(Scope scope, string name, string token, string functionArn)
    {
        if (env.Events.InvokerFor(functionArn) is not { } invoker) return false;
        var secret = _store.Get(scope, name);
        if (secret is null) return false;
        foreach (var step in RotationSteps)
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(new RotationEvent(step, secret.Arn, token, secret.RotationToken ?? ""),
                SecretsManagerJsonContext.Default.RotationEvent);
            var result = await invoker.InvokeAsync(functionArn, payload);
            if (!result.Succeeded)
            {
                LogRotationFailed(RotationLog, secret.Arn, step, result.Error ?? result.Outcome.ToString());
                return false;
            }
        }
        return _store.Transaction(() =>
        {
            if (_store.Get(scope, name) is not { } current || current.Arn != secret.Arn) return false;
            var version = current.Versions.FirstOrDefault(v => v.VersionId == token);
            if (version is null || !version.Stages.Contains(Current))
            {
                LogRotationFailed(RotationLog, secret.Arn, "finishSecret", "the function did not move AWSCURRENT to the pending version");
                return false;
            }
            var now = env.Clock.GetUtcNow();
            var done = current with
            {
                Versions = [.. current.Versions.Select(v => v.VersionId == token ? v with { Stages = [.. v.Stages.Where(s => s != Pending)] } : v)],
                LastRotatedDate = now,
                NextRotationDate = current.RotationEnabled && current.RotationRules is { } rules ? RotationSchedule.Next(rules, now) : null,
                RotationToken = null,
            };
            Save(scope, done);
            return true;
        });
    }

    private static DateTimeOffset? NextRotationOf(SecretRecord r) => r.RotationEnabled ? r.NextRotationDate : null;

    private static Dictionary<string, object?>? RotationRulesOf(SecretRecord r) => r.RotationRules is not { } rules ? null : new()
    {
        ["AutomaticallyAfterDays"] = rules.AutomaticallyAfterDays,
        ["ScheduleExpression"] = rules.ScheduleExpression,
        ["Duration"] = rules.Duration,
    };

    private ILogger RotationLog => _rotationLog ??= env.Logging.CreateLogger("Nephele.SecretsManager");

    private ILogger? _rotationLog;

    private const string Pending = "AWSPENDING";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Secrets Manager rotation of {Secret} failed at step {Step}: {Reason}")]
    private static partial void LogRotationFailed(ILogger logger, string secret, string step, string reason);
}

/// <summary>The event a rotation function receives for each step.</summary>
internal sealed record RotationEvent(string Step, string SecretId, string ClientRequestToken, string RotationToken);
