using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Nephele.Services.SecretsManager;

/// <summary>
/// Scheduled rotation on Nephele's clock: a timer checks every minute (and whenever the clock is advanced) for secrets
/// whose NextRotationDate has passed and rotates them with their function; a rotation that did not complete is
/// reattempted with its pending version. The schedule lives in the secrets themselves, so it survives restarts.
/// </summary>
public sealed partial class SecretsManagerProvider : IDisposable
{
    private static readonly TimeSpan CheckPeriod = TimeSpan.FromMinutes(1);
    // A failed scheduled rotation is tried again after this long (in Nephele time), not on every check.
    private static readonly TimeSpan RetryAfter = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _retryNotBefore = new(StringComparer.Ordinal);
    private ITimer? _rotationTimer;
    private int _passRunning;

    private void StartRotationSchedule() =>
        _rotationTimer = env.Clock.CreateTimer(static s => ((SecretsManagerProvider)s!).StartPass(), this, CheckPeriod, CheckPeriod);

    public void Dispose() => _rotationTimer?.Dispose();

    private void StartPass()
    {
        // Passes never overlap: a check that comes while one runs finds the work it would do being done.
        if (Interlocked.Exchange(ref _passRunning, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await RotateDueSecretsAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogSchedulePassFailed(RotationLog, e);
            }
            finally
            {
                Volatile.Write(ref _passRunning, 0);
            }
        });
    }

    /// <summary>Rotates every secret whose scheduled rotation is due.</summary>
    public async Task RotateDueSecretsAsync()
    {
        var now = env.Clock.GetUtcNow();
        foreach (var scope in _store.Scopes())
        {
            var due = _store.All(scope)
                .Where(s => s is { RotationEnabled: true, DeletedDate: null, PrimaryRegion: null, RotationLambdaARN: not null }
                    && s.NextRotationDate <= now && _retryNotBefore.GetValueOrDefault(s.Arn) <= now)
                .ToList();
            foreach (var secret in due)
            {
                var begun = _store.Transaction(() =>
                {
                    if (_store.Get(scope, secret.Name) is not { RotationEnabled: true, RotationLambdaARN: { } function } current || current.Arn != secret.Arn)
                        return ((string, string)?)null;
                    var token = current.PendingRotation()?.VersionId ?? Guid.NewGuid().ToString();
                    Save(scope, BeginRotation(current, token, now));
                    return (token, function);
                });
                if (begun is not var (token, functionArn)) continue;
                if (await RunRotationAsync(scope, secret.Name, token, functionArn)) _retryNotBefore.TryRemove(secret.Arn, out _);
                else _retryNotBefore[secret.Arn] = now + RetryAfter;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Secrets Manager's scheduled rotation check failed")]
    private static partial void LogSchedulePassFailed(ILogger logger, Exception e);
}
