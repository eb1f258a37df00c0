using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.S3;

/// <summary>
/// A byte range over an object stored as blob files in order (the parts of a multipart upload), opening each file
/// only when the read reaches it: a completed upload is served without ever concatenating its parts on disk.
/// </summary>
internal sealed class PartsStream : ReadOnlyStream
{
    private readonly IBlobStore _blobs;
    private readonly IReadOnlyList<BlobPart> _parts;
    private readonly long _length;
    private long _position;
    private int _index;
    private long _offsetInPart;
    private Stream? _current;
    private readonly byte[]? _contentKey;

    public PartsStream(IBlobStore blobs, IReadOnlyList<BlobPart> parts, long offset, long length, byte[]? contentKey = null)
    {
        _contentKey = contentKey;
        _blobs = blobs;
        _parts = parts;
        _length = length;
        // Find the part holding the first byte.
        while (_index < parts.Count && offset >= parts[_index].Size)
        {
            offset -= parts[_index].Size;
            _index++;
        }
        _offsetInPart = offset;
    }

    public override long Length => _length;
    // Seekable in name only, so the gateway can use Length for Content-Length.
    public override bool CanSeek => true;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken) =>
        BulkCopy.CopyAsync(this, destination, cancellationToken);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var remaining = _length - _position;
            if (remaining <= 0 || buffer.IsEmpty || _index >= _parts.Count) return 0;
            if (_current is null)
            {
                _current = _blobs.OpenRead(ObjectStore.BlobService, _parts[_index].BlobId)
                    ?? throw new IOException($"Object data {_parts[_index].BlobId} is missing.");
                if (_offsetInPart > 0) _current.Seek(_offsetInPart, SeekOrigin.Begin);
                if (_parts[_index].Iv is { } iv && _contentKey is not null) _current = new AesCtrStream(_current, _contentKey, iv, _offsetInPart);
            }
            var want = (int)Math.Min(buffer.Length, remaining);
            var n = await _current.ReadAsync(buffer[..want], cancellationToken).ConfigureAwait(false);
            if (n > 0)
            {
                _position += n;
                return n;
            }
            await _current.DisposeAsync().ConfigureAwait(false);
            _current = null;
            _offsetInPart = 0;
            _index++;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _current?.Dispose();
        base.Dispose(disposing);
    }
}
