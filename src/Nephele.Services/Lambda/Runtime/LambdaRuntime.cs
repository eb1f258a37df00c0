using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Lambda.Runtime;

/// <summary>
/// Runs invocations: keeps warm execution environments per function version, starts new ones up to the
/// function's concurrency (reserved concurrency and the account limit throttle with TooManyRequestsException),
/// shuts idle ones down, and writes START/END/REPORT and the function's output to CloudWatch Logs.
/// Owns every process it starts: disposing it kills them all.
/// </summary>
internal sealed class LambdaRuntime : IAsyncDisposable
{
    public const int AccountConcurrency = 1000;
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(5);

    private readonly ServiceEnvironment _env;
    private readonly string _root;
    private readonly bool _ownsRoot;
    private readonly string _runtimeDirectory;
    private readonly ConcurrentDictionary<string, ConcurrentStack<ExecutionEnvironment>> _idle = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ExecutionEnvironment, bool> _all = new();
    private readonly ConcurrentDictionary<string, ProvisionedPool> _provisioned = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _active = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _extracting = new(1, 1);
    private readonly LambdaLogWriter _logs;
    private readonly ITimer _sweeper;
    private readonly CancellationTokenSource _stopping = new();
    private int _unreservedActive;

    public LambdaRuntime(ServiceEnvironment env)
    {
        _env = env;
        _ownsRoot = env.Options.Ephemeral;
        _root = env.Options.Ephemeral
            ? Path.Combine(Path.GetTempPath(), "nephele-lambda-" + Guid.NewGuid().ToString("N"))
            : PersistentRoot(env);
        _runtimeDirectory = Path.Combine(_root, "runtime");
        Directory.CreateDirectory(_runtimeDirectory);
        foreach (var name in new[] { "bootstrap.js", "bootstrap.py" })
        {
            using var resource = typeof(LambdaRuntime).Assembly.GetManifestResourceStream("lambda/" + name)!;
            using var file = File.Create(Path.Combine(_runtimeDirectory, name));
            resource.CopyTo(file);
        }
        _logs = new LambdaLogWriter(new Logs.LogSink(env));
        _sweeper = TimeProvider.System.CreateTimer(_ => _ = SweepAsync(), null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
    }

    public string RuntimeDirectory => _runtimeDirectory;

    public string Root => _root;

    /// <summary>Where unpacked code lives when state is durable (a restarted Nephele finds the previous process's files there).</summary>
    public static string PersistentRoot(ServiceEnvironment env) => Path.Combine(Path.GetFullPath(env.Options.DataDir), "lambda");

    /// <summary>The code and /opt directories of running environments: never removed under them.</summary>
    public IReadOnlySet<string> DirectoriesInUse() =>
        _all.Keys.SelectMany(e => new[] { e.Spec.CodeDirectory, e.Spec.OptDirectory }).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>Removes unpacked code nothing uses; extraction waits meanwhile, so a package being unpacked is never half-deleted.</summary>
    public async Task CollectUnpackedAsync(Func<(IReadOnlySet<string> Code, IReadOnlySet<string> Opt)> live)
    {
        await _extracting.WaitAsync();
        try
        {
            var (code, opt) = live();
            UnpackedCode.Collect(_root, code, opt, DirectoriesInUse());
        }
        finally
        {
            _extracting.Release();
        }
    }

    /// <summary>The unpacked code of a package, shared by every version with the same code (content-addressed).</summary>
    public async Task<string> CodeDirectoryAsync(string codeSha256, string blob)
    {
        var hex = Convert.ToHexStringLower(Convert.FromBase64String(codeSha256));
        var directory = Path.Combine(_root, "code", hex);
        if (Directory.Exists(directory)) return directory;
        await _extracting.WaitAsync();
        try
        {
            if (Directory.Exists(directory)) return directory;
            var partial = directory + ".partial";
            if (Directory.Exists(partial)) Directory.Delete(partial, true);
            await using (var zip = _env.State.Blobs.OpenRead("lambda", blob) ?? throw AwsException.InternalFailure())
                await ZipFile.ExtractToDirectoryAsync(zip, partial);
            Directory.Move(partial, directory);
            return directory;
        }
        finally
        {
            _extracting.Release();
        }
    }

    /// <summary>
    /// Runs one invocation to its end. <paramref name="reserved"/> is the function's reserved concurrency;
    /// <paramref name="reservedTotal"/> computes the account's total reservations (reserved and provisioned concurrency)
    /// when the account limit is near. <paramref name="provisionedKey"/> names the provisioned concurrency config of the
    /// invoked qualifier, whose pre-initialized environments serve first.
    /// </summary>
    public async Task<InvokeOutcome> InvokeAsync(FunctionSpec spec, byte[] payload, string invokedArn, string? clientContext, int? reserved,
        Func<int> reservedTotal, bool wantTail, string? provisionedKey = null, InvocationStream? stream = null)
    {
        var functionKey = $"{spec.Scope}/{spec.Name}";
        var (pool, provisioned) = TakeProvisioned(provisionedKey, spec);
        try
        {
            Enter(functionKey, reserved, reservedTotal, provisioned is not null);
        }
        catch
        {
            if (provisioned is not null) pool!.Idle.Push(provisioned);
            throw;
        }
        try
        {
            var requestId = Guid.NewGuid().ToString();
            var invocation = new Invocation(requestId, payload, invokedArn, clientContext, stream);
            var (environment, cold) = provisioned is not null ? (provisioned, false) : Acquire(spec);
            var started = Stopwatch.GetTimestamp();
            var result = await environment.InvokeAsync(invocation);
            var duration = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var lines = Report(environment, requestId, cold, duration, environment.TakeLines());
            _logs.Write(spec.Scope, spec.LogGroup, environment.LogStream, lines);
            var dead = result.EnvironmentDead || !environment.Alive;
            if (pool is not null) await ReturnProvisioned(pool, environment, dead);
            else if (dead) await Discard(environment);
            else Release(environment);
            return new InvokeOutcome(result.Payload, result.FunctionError, wantTail ? Tail(lines) : "");
        }
        finally
        {
            Leave(functionKey, reserved, provisioned is not null);
            stream?.Chunks.Writer.TryComplete();
        }
    }

    /// <summary>Starts <paramref name="count"/> pre-initialized environments for a provisioned concurrency config, replacing any before.</summary>
    public void Provision(string key, FunctionSpec spec, int count)
    {
        Unprovision(key);
        var pool = new ProvisionedPool(spec with { InitializationType = "provisioned-concurrency" }, count);
        _provisioned[key] = pool;
        for (var i = 0; i < count; i++) _ = StartProvisionedAsync(pool);
    }

    /// <summary>Shuts down the environments of a deleted provisioned concurrency config.</summary>
    public void Unprovision(string key)
    {
        if (!_provisioned.TryRemove(key, out var pool)) return;
        pool.Retired = true;
        while (pool.Idle.TryPop(out var environment)) _ = Discard(environment);
    }

    /// <summary>How far a config's provisioning got: initialized environments and the failure reason, or null when not provisioned here.</summary>
    public (int Allocated, string? FailureReason)? ProvisionedStatus(string key) =>
        _provisioned.TryGetValue(key, out var pool) ? (pool.Allocated, pool.FailureReason) : null;

    private async Task StartProvisionedAsync(ProvisionedPool pool)
    {
        if (pool.Retired || _stopping.IsCancellationRequested) return;
        var spec = pool.Spec;
        var environment = new ExecutionEnvironment(spec, Path.Combine(_root, "tmp"), _env.Clock.GetUtcNow());
        _all[environment] = true;
        environment.Start(Credentials(spec));
        // AWS gives the init phase 10 seconds.
        var failure = await environment.Ready.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result
            : InvocationResult.Error("Runtime.Unknown", "init timed out after 10.00 seconds", dead: true), TaskScheduler.Default);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var lines = new List<(long, string)> { (now, InitStart(spec)) };
        lines.AddRange(environment.TakeLines());
        lines.Add((now, string.Create(CultureInfo.InvariantCulture, $"INIT_REPORT Init Duration: {environment.InitDuration:F2} ms")));
        _logs.Write(spec.Scope, spec.LogGroup, environment.LogStream, lines);
        if (failure is not null || pool.Retired || !environment.Alive)
        {
            if (failure is not null) pool.FailureReason = "FUNCTION_ERROR_INIT_FAILURE";
            await Discard(environment);
            return;
        }
        pool.Added();
        pool.Idle.Push(environment);
    }

    private (ProvisionedPool?, ExecutionEnvironment?) TakeProvisioned(string? key, FunctionSpec spec)
    {
        if (key is null || !_provisioned.TryGetValue(key, out var pool)) return (null, null);
        // Environments of another revision (the alias moved, the version's config changed) are not used for this one.
        if (pool.Spec.PoolKey != spec.PoolKey) return (null, null);
        while (pool.Idle.TryPop(out var environment))
        {
            if (environment.Alive) return (pool, environment);
            pool.Lost();
            _ = Discard(environment);
            _ = StartProvisionedAsync(pool);
        }
        return (null, null);
    }

    private async Task ReturnProvisioned(ProvisionedPool pool, ExecutionEnvironment environment, bool dead)
    {
        if (!dead && !pool.Retired && !_stopping.IsCancellationRequested)
        {
            pool.Idle.Push(environment);
            return;
        }
        pool.Lost();
        await Discard(environment);
        // A provisioned environment that died is replaced, as AWS keeps the allocation.
        if (!pool.Retired) _ = StartProvisionedAsync(pool);
    }

    /// <summary>Shuts down the idle environments of a deleted version, or of a version whose code changed.</summary>
    public void RetireVersion(Scope scope, string name, string version)
    {
        var prefix = $"{scope}/{name}/{version}/";
        foreach (var (key, stack) in _idle)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            while (stack.TryPop(out var environment)) _ = Discard(environment);
        }
    }

    /// <summary>Shuts down every environment of a deleted function.</summary>
    public void Retire(Scope scope, string name)
    {
        var prefix = $"{scope}/{name}/";
        foreach (var key in _provisioned.Keys)
            if (key.StartsWith(prefix, StringComparison.Ordinal)) Unprovision(key);
        foreach (var (key, stack) in _idle)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            while (stack.TryPop(out var environment)) _ = Discard(environment);
        }
    }

    /// <summary>Counts an invocation against the function's reserved concurrency, or the account's unreserved pool (which
    /// provisioned environments were already carved out of).</summary>
    private void Enter(string functionKey, int? reserved, Func<int> reservedTotal, bool provisioned)
    {
        lock (_gate)
        {
            var active = _active.GetValueOrDefault(functionKey);
            if (reserved is { } limit)
            {
                if (active >= limit) throw LambdaErrors.TooManyRequests("ReservedFunctionConcurrentInvocationLimitExceeded");
            }
            // Summing reservations reads every function; only needed once the unreserved pool could be full.
            else if (!provisioned && _unreservedActive >= 100 && _unreservedActive >= AccountConcurrency - reservedTotal())
                throw LambdaErrors.TooManyRequests("ConcurrentInvocationLimitExceeded");
            _active[functionKey] = active + 1;
            if (reserved is null && !provisioned) _unreservedActive++;
        }
    }

    private void Leave(string functionKey, int? reserved, bool provisioned)
    {
        lock (_gate)
        {
            var left = _active.GetValueOrDefault(functionKey) - 1;
            if (left <= 0) _active.Remove(functionKey);
            else _active[functionKey] = left;
            if (reserved is null && !provisioned) _unreservedActive--;
        }
    }

    /// <summary>A warm environment of this version and configuration, else a new one (a cold start).</summary>
    private (ExecutionEnvironment, bool Cold) Acquire(FunctionSpec spec)
    {
        var stack = _idle.GetOrAdd(spec.PoolKey, key =>
        {
            // A new configuration or code: environments of older revisions of this version are not reused.
            var version = key[..(key.LastIndexOf('/') + 1)];
            foreach (var (other, old) in _idle)
                if (other != key && other.StartsWith(version, StringComparison.Ordinal))
                    while (old.TryPop(out var stale)) _ = Discard(stale);
            return new ConcurrentStack<ExecutionEnvironment>();
        });
        while (stack.TryPop(out var warm))
        {
            if (warm.Alive) return (warm, false);
            _ = Discard(warm);
        }
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        var environment = new ExecutionEnvironment(spec, Path.Combine(_root, "tmp"), _env.Clock.GetUtcNow());
        _all[environment] = true;
        environment.Start(Credentials(spec));
        return (environment, true);
    }

    private void Release(ExecutionEnvironment environment)
    {
        environment.LastUsed = DateTimeOffset.UtcNow;
        if (_stopping.IsCancellationRequested || !_idle.TryGetValue(environment.Spec.PoolKey, out var stack)) _ = Discard(environment);
        else stack.Push(environment);
    }

    private async Task Discard(ExecutionEnvironment environment)
    {
        if (_all.TryRemove(environment, out _)) await environment.DisposeAsync();
    }

    private async Task SweepAsync()
    {
        var cutoff = DateTimeOffset.UtcNow - IdleTimeout;
        foreach (var (_, stack) in _idle)
        {
            var keep = new List<ExecutionEnvironment>();
            while (stack.TryPop(out var environment))
            {
                if (environment.Alive && environment.LastUsed > cutoff) keep.Add(environment);
                else await Discard(environment);
            }
            for (var i = keep.Count - 1; i >= 0; i--) stack.Push(keep[i]);
        }
    }

    /// <summary>Temporary credentials of the execution role, so the function's own SDK calls act as the role.</summary>
    private Dictionary<string, string> Credentials(FunctionSpec spec)
    {
        var parts = spec.Role.Split(':', 6);
        var account = parts.Length == 6 && parts[4].Length == 12 ? parts[4] : spec.Scope.AccountId;
        var roleName = parts.Length == 6 ? parts[5][(parts[5].LastIndexOf('/') + 1)..] : spec.Role;
        var keyId = AccessKeys.NewAccessKeyId("ASIA");
        var secret = AccessKeys.NewSecretAccessKey();
        var token = AccessKeys.NewSessionToken();
        var identity = new CallerIdentity(keyId, account, $"arn:aws:sts::{account}:assumed-role/{roleName}/{spec.Name}",
            $"{AccessKeys.NewUniqueId("AROA")}:{spec.Name}", token);
        _env.Credentials.Add(new IssuedCredential(keyId, secret, token, identity, _env.Clock.GetUtcNow().AddHours(12)));
        return new()
        {
            ["AWS_ACCESS_KEY_ID"] = keyId,
            ["AWS_SECRET_ACCESS_KEY"] = secret,
            ["AWS_SESSION_TOKEN"] = token,
        };
    }

    /// <summary>The invocation's log: START, the function's output, END and REPORT, as Lambda writes them.</summary>
    private static List<(long, string)> Report(ExecutionEnvironment environment, string requestId, bool cold, double duration,
        List<(long Timestamp, string Message)> output)
    {
        var spec = environment.Spec;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var start = output.Count > 0 ? Math.Min(output[0].Timestamp, now) : now;
        var lines = new List<(long, string)>(output.Count + 4);
        if (cold) lines.Add((start, InitStart(spec)));
        lines.Add((start, $"START RequestId: {requestId} Version: {spec.Version}"));
        lines.AddRange(output);
        lines.Add((now, $"END RequestId: {requestId}"));
        var report = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"REPORT RequestId: {requestId}\tDuration: {duration:F2} ms\tBilled Duration: {Math.Max(1, (long)Math.Ceiling(duration))} ms\tMemory Size: {spec.MemorySize} MB\tMax Memory Used: {environment.MaxMemoryUsedMb()} MB\t"));
        if (cold) report.Append(CultureInfo.InvariantCulture, $"Init Duration: {environment.InitDuration:F2} ms\t");
        lines.Add((now, report.ToString()));
        return lines;
    }

    private static string InitStart(FunctionSpec spec) =>
        $"INIT_START Runtime Version: {spec.Runtime}.nephele\tRuntime Version ARN: arn:aws:lambda:{spec.Scope.Region}::runtime:nephele";

    /// <summary>The last 4 KB of the invocation's log, base64, for X-Amz-Log-Result.</summary>
    private static string Tail(List<(long, string Message)> lines)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l.Message + "\n")));
        return Convert.ToBase64String(bytes.Length <= 4096 ? bytes : bytes[^4096..]);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _sweeper.Dispose();
        await Task.WhenAll(_all.Keys.ToList().Select(e => Discard(e)));
        await _logs.DisposeAsync();
        if (_ownsRoot)
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
        _stopping.Dispose();
    }
}
