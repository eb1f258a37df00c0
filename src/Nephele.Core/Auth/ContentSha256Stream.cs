using System.Security.Cryptography;
using Nephele.Core.Protocols;

namespace Nephele.Core.Auth;

/// <summary>
/// Passes an S3 body through while hashing it, and fails the read that reaches its end when the body does not
/// match the SHA-256 its x-amz-content-sha256 header declared (and the signature covered). S3 objects are too large
/// to hash before the operation starts, so, like S3, the check happens as the body is consumed.
/// </summary>
public sealed class ContentSha256Stream : Stream
{
    private readonly Stream _inner;
    private readonly string _declared;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _checked;

    public ContentSha256Stream(Stream inner, string declaredSha256)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(declaredSha256);
        _inner = inner;
        _declared = declaredSha256.ToLowerInvariant();
    }

    /// <summary>Wraps the body of a verified S3 request that declared a literal payload hash; null otherwise.</summary>
    public static ContentSha256Stream? ForRequest(AwsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var declared = request.Headers.Get("X-Amz-Content-Sha256");
        if (declared is null || !SigV4Canonical.IsSha256Hex(declared)) return null;
        return new ContentSha256Stream(request.Body, declared);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _inner.Length;
    public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Observe(buffer, _inner.Read(buffer), buffer.IsEmpty);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Observe(buffer.Span, read, buffer.IsEmpty);
    }

    private int Observe(ReadOnlySpan<byte> buffer, int read, bool emptyRequest)
    {
        if (read > 0)
        {
            _hash.AppendData(buffer[..read]);
            return read;
        }
        if (!emptyRequest && !_checked)
        {
            _checked = true;
            var computed = Convert.ToHexStringLower(_hash.GetHashAndReset());
            if (computed != _declared)
            {
                throw new AwsException("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", 400,
                    fields: new() { ["ClientComputedContentSHA256"] = _declared, ["S3ComputedContentSHA256"] = computed });
            }
        }
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
