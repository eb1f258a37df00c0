using System.Threading.Channels;
using Nephele.Core.State;
using Nephele.Services.Logs;

namespace Nephele.Services.Lambda.Runtime;

/// <summary>
/// Writes invocation logs to CloudWatch Logs off the invoke path: batches queued meanwhile are written together,
/// so a warm invoke does not wait for a durable write (CloudWatch Logs is eventually consistent on AWS too).
/// </summary>
internal sealed class LambdaLogWriter : IAsyncDisposable
{
    private readonly LogSink _sink;
    private readonly Channel<LogBatch> _queue = Channel.CreateUnbounded<LogBatch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;

    public LambdaLogWriter(LogSink sink)
    {
        _sink = sink;
        _pump = Task.Run(PumpAsync);
    }

    public void Write(Scope scope, string group, string stream, List<(long, string)> lines) =>
        _queue.Writer.TryWrite(new LogBatch(scope, group, stream, lines));

    private async Task PumpAsync()
    {
        var batches = new List<LogBatch>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batches.Count < 1000 && _queue.Reader.TryRead(out var batch)) batches.Add(batch);
            try
            {
                _sink.Append(batches);
            }
            catch (Exception e) when (e is StateStoreException or ObjectDisposedException or InvalidOperationException)
            {
                // The store is closing or failing; the log lines are lost, never the invocation.
            }
            batches.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump;
    }
}
