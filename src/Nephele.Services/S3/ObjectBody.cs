using System.Buffers;
using System.Security.Cryptography;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.S3;

/// <summary>What was stored from a request body: where the bytes are and what they hash to.</summary>
internal sealed record StoredBody(long Size, string Md5Hex, byte[]? Inline, BlobPart? Blob, string? ChecksumAlgorithm, string? ChecksumValue, byte[]? Iv = null)
{
    public List<BlobPart>? Blobs => Blob is null ? null : [Blob];
}

/// <summary>
/// Streams a request body into storage while hashing it (MD5 for the ETag, plus one additional checksum): bodies up
/// to <see cref="InlineLimit"/> stay in the metadata row, larger ones go straight to one blob file. Nothing larger
/// than one buffer is held in memory.
/// </summary>
internal static class ObjectBody
{
    public const int InlineLimit = 32 * 1024;

    /// <param name="contentKey">The bytes are stored AES-CTR encrypted under this key (hashes are of the plaintext); null stores them in the clear.</param>
    public static async Task<StoredBody> StoreAsync(IBlobStore blobs, Stream body, string? checksumAlgorithm, CancellationToken ct, byte[]? contentKey = null)
    {
        var iv = contentKey is null ? null : AesCtrStream.NewIv();
        using var hashing = new HashingStream(body, checksumAlgorithm);
        var buffer = ArrayPool<byte>.Shared.Rent(InlineLimit + 1);
        try
        {
            var filled = 0;
            while (filled <= InlineLimit)
            {
                var n = await hashing.ReadAsync(buffer.AsMemory(filled, InlineLimit + 1 - filled), ct).ConfigureAwait(false);
                if (n == 0) break;
                filled += n;
            }
            if (filled <= InlineLimit)
            {
                var inline = buffer.AsSpan(0, filled).ToArray();
                if (contentKey is not null) AesCtrStream.Transform(contentKey, iv!, 0, inline);
                return new StoredBody(filled, hashing.Md5Hex(), inline, null, checksumAlgorithm, hashing.ChecksumBase64(), iv);
            }
            var id = ObjectStore.NewBlobId();
            Stream rest = new PrefixedStream(buffer.AsMemory(0, filled), hashing);
            if (contentKey is not null) rest = new AesCtrStream(rest, contentKey, iv!);
            long size;
            await using (rest.ConfigureAwait(false))
                size = await blobs.WriteAsync(ObjectStore.BlobService, id, rest, ct).ConfigureAwait(false);
            return new StoredBody(size, hashing.Md5Hex(), null, new BlobPart { BlobId = id, Size = size, Iv = iv }, checksumAlgorithm, hashing.ChecksumBase64(), iv);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The bytes [offset, offset+length) of an object.</summary>
    /// <param name="contentKey">The key the bytes were encrypted with (the SSE-C key checked against the record, or the data key).</param>
    public static Stream Open(IBlobStore blobs, ObjectRecord record, long offset, long length, byte[]? contentKey = null)
    {
        if (record.Inline is { } inline)
        {
            if (record.InlineIv is not { } iv || contentKey is null) return new MemoryStream(inline, (int)offset, (int)length, writable: false);
            var plain = inline.AsSpan((int)offset, (int)length).ToArray();
            AesCtrStream.Transform(contentKey, iv, offset, plain);
            return new MemoryStream(plain, writable: false);
        }
        return new PartsStream(blobs, record.Blobs ?? [], offset, length, contentKey);
    }

    /// <summary>Hashes what passes through: MD5 always, and the requested additional checksum.</summary>
    private sealed class HashingStream(Stream inner, string? checksumAlgorithm) : ReadOnlyStream
    {
        private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        private readonly S3Checksums.IChecksum? _checksum = checksumAlgorithm is null ? null : S3Checksums.Create(checksumAlgorithm);

        public string Md5Hex() => Convert.ToHexStringLower(_md5.GetCurrentHash());
        public string? ChecksumBase64() => _checksum?.Base64();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n > 0)
            {
                _md5.AppendData(buffer.Span[..n]);
                _checksum?.Append(buffer.Span[..n]);
            }
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _md5.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>Bytes already read, then the rest of the stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : ReadOnlyStream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_prefix.IsEmpty) return await rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }

        public override Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken) =>
            BulkCopy.CopyAsync(this, destination, cancellationToken);
    }
}
