using Nephele.Core.Models;

namespace Nephele.Core.Protocols.EventStream;

/// <summary>
/// A response body that encodes a handler's events as <c>application/vnd.amazon.eventstream</c> messages
/// while the handler produces them: each read pulls the next event only when the previous message has been
/// read out, and returns no more than one message, so a copy loop writes (and Kestrel flushes) every event
/// as it happens instead of buffering the stream.
///
/// A handler exception ends the stream with one last message: an AwsException naming an exception of the
/// union becomes <c>:message-type exception</c>, any other AwsException <c>:message-type error</c>, and
/// anything else an InternalFailure error (kept in <see cref="Fault"/> for logging). Disposing the body,
/// or cancelling a read, cancels and disposes the handler's enumerator: the client has gone.
/// </summary>
public sealed class OutgoingEventStream : Stream
{
    private readonly EventStreamMarshaller _marshaller;
    private readonly Shape _eventStream;
    private readonly IAsyncEnumerable<Dictionary<string, object?>> _source;
    private readonly CancellationTokenSource _stop = new();
    private IAsyncEnumerator<Dictionary<string, object?>>? _events;
    private EventStreamMessage? _initial;
    private ReadOnlyMemory<byte> _pending;
    private bool _finished;
    private bool _disposed;

    /// <param name="initial">A message sent before any event (the initial-response of RPC protocols).</param>
    public OutgoingEventStream(EventStreamMarshaller marshaller, Shape eventStream, IAsyncEnumerable<Dictionary<string, object?>> events,
        EventStreamMessage? initial = null)
    {
        if (!eventStream.IsEventStream) throw new ArgumentException($"{eventStream.Name} is not an event stream.", nameof(eventStream));
        _marshaller = marshaller;
        _eventStream = eventStream;
        _source = events;
        _initial = initial;
    }

    /// <summary>An unexpected (non-AWS) exception that ended the stream, for the caller to log.</summary>
    public Exception? Fault { get; private set; }

    public override bool CanRead => !_disposed;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty) return 0;
        while (_pending.IsEmpty)
        {
            if (_finished) return 0;
            _pending = await NextMessageAsync(cancellationToken).ConfigureAwait(false);
        }
        var count = Math.Min(buffer.Length, _pending.Length);
        _pending.Span[..count].CopyTo(buffer.Span);
        _pending = _pending[count..];
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Only for callers that cannot read asynchronously; the gateway copies with CopyToAsync.
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    private async ValueTask<ReadOnlyMemory<byte>> NextMessageAsync(CancellationToken ct)
    {
        if (_initial is { } initial)
        {
            _initial = null;
            return EventStreamWriter.Encode(initial);
        }
        _events ??= _source.GetAsyncEnumerator(_stop.Token);
        // A cancelled read means nobody will read the rest: stop the producer for good.
        using var cancelRead = ct.CanBeCanceled ? ct.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _stop) : default;
        EventStreamMessage message;
        try
        {
            if (!await _events.MoveNextAsync().ConfigureAwait(false))
            {
                _finished = true;
                return ReadOnlyMemory<byte>.Empty;
            }
            return EventStreamWriter.Encode(_marshaller.Event(_eventStream, _events.Current));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            _finished = true;
            ct.ThrowIfCancellationRequested();
            throw;
        }
        catch (AwsException e)
        {
            message = Failure(e);
        }
        catch (Exception e)
        {
            Fault = e;
            var failure = AwsException.InternalFailure();
            message = EventStreamMarshaller.Error(failure.Code, failure.Message);
        }
        _finished = true;
        return EventStreamWriter.Encode(message);
    }

    private EventStreamMessage Failure(AwsException error)
    {
        try
        {
            return _marshaller.Exception(_eventStream, error);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // The handler's fields do not fit the modeled exception; the client still learns the code.
            Fault = e;
            return EventStreamMarshaller.Error(error.Code, error.Message);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_events is not null) await _events.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _stop.Cancel();
            _events?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
