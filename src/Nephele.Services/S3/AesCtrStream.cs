using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// AES-256-CTR over a stream as it is read: encrypts plaintext on the way to storage and decrypts on the way back.
/// CTR lets a range read start at any byte (the counter is the IV plus the block index), which range GETs need.
/// </summary>
internal sealed class AesCtrStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly Aes _aes;
    private readonly UInt128 _iv;
    private long _position;

    /// <param name="position">The offset in the encrypted sequence of the first byte <paramref name="inner"/> yields.</param>
    public AesCtrStream(Stream inner, byte[] key, byte[] iv, long position = 0)
    {
        _inner = inner;
        _aes = Aes.Create();
        _aes.Key = key;
        _iv = BinaryPrimitives.ReadUInt128BigEndian(iv);
        _position = position;
    }

    public static byte[] NewIv() => RandomNumberGenerator.GetBytes(16);

    /// <summary>XORs <paramref name="data"/>, which sits at <paramref name="position"/> of the sequence, with the key stream.</summary>
    public static void Transform(byte[] key, byte[] iv, long position, Span<byte> data)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        Transform(aes, BinaryPrimitives.ReadUInt128BigEndian(iv), position, data);
    }

    private static void Transform(Aes aes, UInt128 iv, long position, Span<byte> data)
    {
        if (data.IsEmpty) return;
        var first = position / 16;
        var skip = (int)(position % 16);
        var blocks = (skip + data.Length + 15) / 16;
        var counters = ArrayPool<byte>.Shared.Rent(blocks * 16);
        var stream = ArrayPool<byte>.Shared.Rent(blocks * 16);
        try
        {
            for (var b = 0; b < blocks; b++)
                BinaryPrimitives.WriteUInt128BigEndian(counters.AsSpan(b * 16, 16), iv + (UInt128)(first + b));
            aes.EncryptEcb(counters.AsSpan(0, blocks * 16), stream.AsSpan(0, blocks * 16), PaddingMode.None);
            Xor(data, stream.AsSpan(skip, data.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(counters);
            ArrayPool<byte>.Shared.Return(stream);
        }
    }

    /// <summary>data ^= keyStream, a vector at a time (this loop bounds encrypted throughput, not AES itself).</summary>
    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keyStream)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= data.Length - Vector<byte>.Count; i += Vector<byte>.Count)
                (new Vector<byte>(data[i..]) ^ new Vector<byte>(keyStream[i..])).CopyTo(data[i..]);
        }
        for (; i < data.Length; i++) data[i] ^= keyStream[i];
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Fill the whole buffer (a request body yields a few KiB a read): one AES pass per buffer, not per network read.
        var n = await _inner.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        Transform(_aes, _iv, _position, buffer.Span[..n]);
        _position += n;
        return n;
    }

    public override Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken) =>
        BulkCopy.CopyAsync(this, destination, cancellationToken);

    public override bool CanSeek => _inner.CanSeek;
    public override long Length => _inner.Length;
    public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
