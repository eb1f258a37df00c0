using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace Nephele.Services.Lambda.Runtime;

/// <summary>
/// One execution environment: a runtime process with its own Runtime API endpoint and /tmp. It serves one
/// invocation at a time and stays warm between invocations until it dies, times out or idles away.
/// </summary>
internal sealed class ExecutionEnvironment : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime";
    private const string DoneMarker = "\0nephele:done:";
    private const int MaxResponseBytes = 6 * 1024 * 1024;

    private readonly FunctionSpec _spec;
    private readonly RuntimeApiServer _api;
    private readonly Channel<Invocation> _queue = Channel.CreateBounded<Invocation>(1);
    private readonly TaskCompletionSource<InvocationResult?> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(long Timestamp, string Message)> _lines = [];
    private readonly Lock _lock = new();
    private readonly string _tmp;
    private readonly long _started = Stopwatch.GetTimestamp();
    private Process? _process;
    private Invocation? _current;
    private TaskCompletionSource? _marker;
    private string? _markerId;
    private long _memoryReadAt;
    private long _maxMemoryMb;

    public ExecutionEnvironment(FunctionSpec spec, string tmpRoot, DateTimeOffset now)
    {
        _spec = spec;
        _api = new RuntimeApiServer(HandleAsync);
        LogStream = $"{now:yyyy'/'MM'/'dd}/[{spec.Version}]{Guid.NewGuid():N}";
        _tmp = Path.Combine(tmpRoot, Guid.NewGuid().ToString("N"));
    }

    public FunctionSpec Spec => _spec;
    public string LogStream { get; }
    public DateTimeOffset LastUsed { get; set; }
    public bool Alive => !_exited.Task.IsCompleted;
    /// <summary>Milliseconds from process start to its first GET /next.</summary>
    public double InitDuration { get; private set; }

    /// <summary>Starts the runtime process with AWS's environment variables plus the function's own.</summary>
    public void Start(IReadOnlyDictionary<string, string> credentials)
    {
        Directory.CreateDirectory(_tmp);
        var info = new ProcessStartInfo(_spec.Launch.FileName)
        {
            WorkingDirectory = _spec.CodeDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in _spec.Launch.Arguments) info.ArgumentList.Add(arg);
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        info.Environment.Clear();
        foreach (var (k, v) in _spec.Environment) info.Environment[k] = v;
        var variables = new Dictionary<string, string>
        {
            ["PATH"] = path,
            ["LANG"] = "en_US.UTF-8",
            ["TZ"] = ":UTC",
            ["TMPDIR"] = _tmp,
            ["_HANDLER"] = _spec.Handler,
            ["AWS_EXECUTION_ENV"] = "AWS_Lambda_" + _spec.Runtime,
            ["AWS_LAMBDA_FUNCTION_NAME"] = _spec.Name,
            ["AWS_LAMBDA_FUNCTION_VERSION"] = _spec.Version,
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = _spec.MemorySize.ToString(CultureInfo.InvariantCulture),
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = _spec.LogGroup,
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = LogStream,
            ["AWS_LAMBDA_RUNTIME_API"] = _api.Address,
            ["AWS_LAMBDA_INITIALIZATION_TYPE"] = _spec.InitializationType,
            ["LAMBDA_TASK_ROOT"] = _spec.CodeDirectory,
            ["LAMBDA_RUNTIME_DIR"] = Path.GetDirectoryName(_spec.Launch.Arguments.LastOrDefault() ?? _spec.CodeDirectory) ?? _spec.CodeDirectory,
            ["AWS_REGION"] = _spec.Scope.Region,
            ["AWS_DEFAULT_REGION"] = _spec.Scope.Region,
            ["AWS_ENDPOINT_URL"] = _spec.Endpoint,
            ["PYTHONUNBUFFERED"] = "1",
        };
        foreach (var (k, v) in credentials) variables[k] = v;
        if (_spec.OptDirectory is { } opt) OptDirectory.Apply(_spec, opt, variables);
        if (DotnetLaunch.Applies(_spec.Runtime)) DotnetLaunch.Apply(_spec, variables);
        foreach (var (k, v) in variables) info.Environment[k] = v;

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => OnOutput(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            // provided.* without an executable bootstrap: AWS's Runtime.InvalidEntrypoint.
            _exited.TrySetResult();
            var message = File.Exists(_spec.Launch.FileName)
                ? $"fork/exec {_spec.Launch.FileName}: {e.Message.ToLowerInvariant()}"
                : $"Couldn't find valid bootstrap(s): [{_spec.Launch.FileName}]";
            _ready.TrySetResult(InvocationResult.Error("Runtime.InvalidEntrypoint", message, dead: true));
            return;
        }
        _process = process;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = WatchExitAsync(process);
    }

    /// <summary>Null once the runtime asked for its first invocation; else the init failure AWS reports.</summary>
    public Task<InvocationResult?> Ready => _ready.Task;

    private async Task WatchExitAsync(Process process)
    {
        await process.WaitForExitAsync();
        var status = ExitStatus(process);
        _exited.TrySetResult();
        var message = $"Runtime exited with error: {status}";
        _ready.TrySetResult(InvocationResult.Error("Runtime.ExitError", $"RequestId: {_current?.RequestId ?? ""} Error: {message}", dead: true));
        _current?.Done.TrySetResult(InvocationResult.Error("Runtime.ExitError", $"RequestId: {_current.RequestId} Error: {message}", dead: true));
    }

    private static string ExitStatus(Process process)
    {
        try
        {
            var code = process.ExitCode;
            // .NET reports death by signal N as 128+N.
            return code > 128 && code < 160 ? $"signal: {(code - 128 == 9 ? "killed" : "terminated")}" : $"exit status {code}";
        }
        catch (InvalidOperationException)
        {
            return "exit status 1";
        }
    }

    /// <summary>Runs one invocation; the result arrives from the runtime, its exit, or the timeout.</summary>
    public async Task<InvocationResult> InvokeAsync(Invocation invocation)
    {
        var ownClient = _spec.Launch.OwnClient;
        lock (_lock)
        {
            _current = invocation;
            _markerId = invocation.RequestId;
            _marker = ownClient ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
        }
        if (!_ready.Task.IsCompleted)
        {
            // AWS gives the init phase 10 seconds.
            var init = await _ready.Task.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result
                : InvocationResult.Error("Runtime.Unknown", $"RequestId: {invocation.RequestId} Error: init timed out after 10.00 seconds", dead: true), TaskScheduler.Default);
            if (init is not null)
            {
                Kill();
                lock (_lock) _current = null;
                return init;
            }
        }
        if (!Alive) return InvocationResult.Error("Runtime.ExitError", $"RequestId: {invocation.RequestId} Error: Runtime exited", dead: true);
        _queue.Writer.TryWrite(invocation);
        InvocationResult result;
        try
        {
            result = await invocation.Done.Task.WaitAsync(TimeSpan.FromSeconds(_spec.Timeout));
        }
        catch (TimeoutException)
        {
            Kill();
            result = InvocationResult.Error("Sandbox.Timedout",
                $"RequestId: {invocation.RequestId} Error: Task timed out after {_spec.Timeout.ToString("F2", CultureInfo.InvariantCulture)} seconds", dead: true);
            invocation.Done.TrySetResult(result);
            AddLine($"{DateTimeOffset.UtcNow:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {invocation.RequestId} Task timed out after {_spec.Timeout.ToString("F2", CultureInfo.InvariantCulture)} seconds");
        }
        // Our runtime clients write a marker after the handler's output and before posting the result; waiting
        // for it means every line the handler printed is in this invocation's log.
        if (_marker is { Task.IsCompleted: false } marker && !result.EnvironmentDead)
            await Task.WhenAny(marker.Task, _exited.Task, Task.Delay(1000));
        lock (_lock) _current = null;
        return result;
    }

    /// <summary>The output lines gathered since the last call.</summary>
    public List<(long Timestamp, string Message)> TakeLines()
    {
        lock (_lock)
        {
            var lines = _lines.ToList();
            _lines.Clear();
            return lines;
        }
    }

    /// <summary>
    /// Peak resident memory of the runtime process in MB (Linux: VmHWM), for the REPORT line. Reading /proc costs more than
    /// the rest of a warm invocation's bookkeeping, and the peak changes rarely, so it is read at most every 250 ms.
    /// </summary>
    public long MaxMemoryUsedMb()
    {
        var now = Environment.TickCount64;
        if (_memoryReadAt != 0 && now - _memoryReadAt < 250) return _maxMemoryMb;
        _memoryReadAt = now;
        return _maxMemoryMb = ReadMaxMemoryMb();
    }

    private long ReadMaxMemoryMb()
    {
        try
        {
            if (_process is null) return 0;
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                var kb = long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return (kb + 1023) / 1024;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
        {
        }
        return 0;
    }

    private void OnOutput(string? data)
    {
        if (data is null) return;
        var marker = data.IndexOf(DoneMarker, StringComparison.Ordinal);
        if (marker >= 0)
        {
            if (marker > 0) AddLine(data[..marker]);
            TaskCompletionSource? done;
            lock (_lock) done = _markerId == data[(marker + DoneMarker.Length)..] ? _marker : null;
            done?.TrySetResult();
            return;
        }
        AddLine(data);
    }

    private void AddLine(string line)
    {
        if (line.Length == 0) return;
        lock (_lock) _lines.Add((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), line.Replace('\r', '\n')));
    }

    private async Task<RuntimeResponse> HandleAsync(RuntimeRequest request, CancellationToken ct)
    {
        var path = request.Path;
        if (!path.StartsWith(Prefix, StringComparison.Ordinal)) return NotFound();
        path = path[Prefix.Length..];
        if (request.Method == "GET" && path == "/invocation/next")
        {
            if (!_ready.Task.IsCompleted) InitDuration = Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
            _ready.TrySetResult(null);
            var next = await _queue.Reader.ReadAsync(ct);
            var headers = new List<KeyValuePair<string, string>>
            {
                new("Lambda-Runtime-Aws-Request-Id", next.RequestId),
                // The timeout runs from the hand-over, after any init phase, as on AWS.
                new("Lambda-Runtime-Deadline-Ms", DateTimeOffset.UtcNow.AddSeconds(_spec.Timeout).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
                new("Lambda-Runtime-Invoked-Function-Arn", next.InvokedArn),
                new("Lambda-Runtime-Trace-Id", $"Root=1-{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}-{Guid.NewGuid().ToString("N")[..24]};Sampled=0"),
            };
            if (next.ClientContext is { } context) headers.Add(new("Lambda-Runtime-Client-Context", context));
            return new RuntimeResponse(200, headers, next.Payload);
        }
        if (request.Method == "POST" && path == "/init/error")
        {
            var type = request.Headers.GetValueOrDefault("lambda-runtime-function-error-type") ?? "Runtime.Unknown";
            _ready.TrySetResult(new InvocationResult(request.Body.Length > 0 ? request.Body : InvocationResult.Error(type, "init failed").Payload, "Unhandled", true));
            return Accepted();
        }
        if (request.Method == "POST" && path.StartsWith("/invocation/", StringComparison.Ordinal))
        {
            var rest = path["/invocation/".Length..];
            var slash = rest.IndexOf('/');
            if (slash < 0) return NotFound();
            var (id, action) = (rest[..slash], rest[(slash + 1)..]);
            Invocation? current;
            lock (_lock) current = _current;
            if (current is null || current.RequestId != id)
                return RuntimeResponse.Json(400, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
            if (action == "response" && request.Chunks is { } chunks) return await StreamResponseAsync(current, request, chunks, ct);
            if (action == "response")
            {
                if (request.Body.Length > MaxResponseBytes)
                {
                    current.Done.TrySetResult(InvocationResult.Error("Function.ResponseSizeTooLarge",
                        $"Response payload size exceeded maximum allowed payload size ({MaxResponseBytes} bytes)."));
                    return RuntimeResponse.Json(413, "{\"errorMessage\":\"Exceeded maximum allowed payload size (6291556 bytes).\",\"errorType\":\"RequestEntityTooLarge\"}");
                }
                current.Done.TrySetResult(new InvocationResult(request.Body));
                return Accepted();
            }
            if (action == "error")
            {
                var body = request.Body.Length > 0 ? request.Body
                    : InvocationResult.Error(request.Headers.GetValueOrDefault("lambda-runtime-function-error-type") ?? "Unhandled", "").Payload;
                current.Done.TrySetResult(new InvocationResult(body, "Unhandled"));
                return Accepted();
            }
        }
        return NotFound();
    }

    /// <summary>
    /// A streamed response (Lambda-Runtime-Function-Response-Mode: streaming): chunks go to the caller as they arrive, or
    /// are gathered for a caller that waits for the whole response (at most 6 MB, as for a buffered response). A failure
    /// after the stream started comes in the trailers Lambda-Runtime-Function-Error-Type and -Error-Body (base64 JSON).
    /// </summary>
    private static async Task<RuntimeResponse> StreamResponseAsync(Invocation current, RuntimeRequest request, HttpRequestReader chunks, CancellationToken ct)
    {
        var stream = current.Stream;
        stream?.Started.TrySetResult(request.Headers.GetValueOrDefault("content-type") ?? "application/octet-stream");
        using var gathered = stream is null ? new MemoryStream() : null;
        var tooLarge = false;
        while (await chunks.ReadChunkAsync(ct) is { } chunk)
        {
            if (stream is not null) stream.Chunks.Writer.TryWrite(chunk);
            else if (!tooLarge && gathered!.Length + chunk.Length <= MaxResponseBytes) gathered.Write(chunk);
            else tooLarge = true;
        }
        if (chunks.Trailers.TryGetValue("lambda-runtime-function-error-type", out var errorType))
        {
            var body = chunks.Trailers.TryGetValue("lambda-runtime-function-error-body", out var encoded) ? TryBase64(encoded) : null;
            current.Done.TrySetResult(new InvocationResult(body ?? InvocationResult.Error(errorType, "").Payload, "Unhandled"));
        }
        else if (tooLarge)
            current.Done.TrySetResult(InvocationResult.Error("Function.ResponseSizeTooLarge",
                $"Response payload size exceeded maximum allowed payload size ({MaxResponseBytes} bytes)."));
        else current.Done.TrySetResult(new InvocationResult(gathered?.ToArray() ?? []));
        return Accepted();
    }

    private static byte[]? TryBase64(string value)
    {
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static RuntimeResponse Accepted() => RuntimeResponse.Json(202, "{\"status\":\"OK\"}");

    private static RuntimeResponse NotFound() => RuntimeResponse.Json(404, "{\"errorMessage\":\"Not found\",\"errorType\":\"NotFound\"}");

    public void Kill()
    {
        try
        {
            if (_process is { HasExited: false } p) p.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        if (_process is not null)
        {
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
            }
            _process.Dispose();
        }
        await _api.DisposeAsync();
        try
        {
            Directory.Delete(_tmp, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
