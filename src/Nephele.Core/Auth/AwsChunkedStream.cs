using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Nephele.Core.Protocols;

namespace Nephele.Core.Auth;

/// <summary>
/// Decodes a <c>Content-Encoding: aws-chunked</c> body as it is read, never buffering more than one read's worth:
/// <c>&lt;hex-size&gt;[;chunk-signature=&lt;sig&gt;]\r\n&lt;data&gt;\r\n</c> ... a zero-size chunk, then optional trailing
/// headers (<c>x-amz-checksum-crc32:...</c>, <c>x-amz-trailer-signature:...</c>) and an empty line.
/// Given a <see cref="SigV4SigningContext"/> it verifies the chain of chunk signatures (seeded by the header
/// signature) and the trailer signature; a bad one fails the read that reaches the end of its chunk, so a consumer
/// that reads to the end never accepts a tampered body.
/// </summary>
public sealed class AwsChunkedStream : Stream
{
    private const int MaxLineLength = 4096;
    private const string TrailerSignatureName = "x-amz-trailer-signature";

    private enum State { ChunkHeader, ChunkData, ChunkEnd, Trailers, Done }

    private readonly Stream _inner;
    private readonly SigV4SigningContext? _signing;
    private readonly long? _decodedContentLength;
    private readonly bool _leaveOpen;
    private readonly Dictionary<string, string> _trailers = new(StringComparer.OrdinalIgnoreCase);
    private readonly IncrementalHash? _chunkHash;
    private byte[] _buffer;
    private int _bufferPos, _bufferLen;
    private State _state = State.ChunkHeader;
    private long _chunkRemaining, _decoded;
    private string? _chunkSignature;
    private string? _previousSignature;

    /// <param name="inner">The raw (still aws-chunked) body.</param>
    /// <param name="signing">When given, chunk and trailer signatures are verified against it.</param>
    /// <param name="decodedContentLength">x-amz-decoded-content-length; the decoded body must have exactly this size.</param>
    public AwsChunkedStream(Stream inner, SigV4SigningContext? signing = null, long? decodedContentLength = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _signing = signing;
        _decodedContentLength = decodedContentLength;
        _leaveOpen = leaveOpen;
        _previousSignature = signing?.SeedSignature;
        _chunkHash = signing is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    }

    /// <summary>
    /// True when the request's body is aws-chunked: a STREAMING-* x-amz-content-sha256 or an aws-chunked content encoding.
    /// </summary>
    public static bool IsAwsChunked(AwsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sha = request.Headers.Get("X-Amz-Content-Sha256");
        if (sha is not null && sha.StartsWith("STREAMING-", StringComparison.Ordinal)) return true;
        var encoding = request.Headers.Get("Content-Encoding");
        return encoding is not null && encoding.Contains("aws-chunked", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Wraps the request's body when it is aws-chunked, else returns null. Signatures are verified only for the
    /// signed streaming variants and only when <paramref name="signing"/> (from a verified header) is given.
    /// </summary>
    public static AwsChunkedStream? ForRequest(AwsRequest request, SigV4SigningContext? signing)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsAwsChunked(request)) return null;
        var sha = request.Headers.Get("X-Amz-Content-Sha256");
        var signed = sha is SigV4Canonical.StreamingPayload or SigV4Canonical.StreamingPayloadTrailer;
        long? decoded = long.TryParse(request.Headers.Get("X-Amz-Decoded-Content-Length"), NumberStyles.None,
            CultureInfo.InvariantCulture, out var length) ? length : null;
        return new AwsChunkedStream(request.Body, signed ? signing : null, decoded);
    }

    /// <summary>Trailing headers (e.g. x-amz-checksum-crc32), complete once the body has been read to the end.</summary>
    public IReadOnlyDictionary<string, string> TrailingHeaders => _trailers;

    /// <summary>True once the terminating chunk and trailers have been read (and verified).</summary>
    public bool IsComplete => _state == State.Done;

    /// <summary>Decoded bytes delivered so far.</summary>
    public long DecodedLength => _decoded;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _decoded; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadCoreAsync(buffer.AsMemory(offset, count), async: false, default).AsTask().GetAwaiter().GetResult();
    }

    public override int Read(Span<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var n = ReadCoreAsync(rented.AsMemory(0, buffer.Length), async: false, default).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadCoreAsync(buffer.AsMemory(offset, count), async: true, cancellationToken).AsTask();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ReadCoreAsync(buffer, async: true, cancellationToken);

    private async ValueTask<int> ReadCoreAsync(Memory<byte> destination, bool async, CancellationToken ct)
    {
        while (true)
        {
            switch (_state)
            {
                case State.ChunkHeader:
                    StartChunk(await ReadLineAsync(async, ct).ConfigureAwait(false));
                    continue;

                case State.ChunkData:
                    if (destination.IsEmpty) return 0;
                    if (_bufferPos == _bufferLen && !await FillAsync(async, ct).ConfigureAwait(false))
                        throw Truncated();
                    var n = (int)Math.Min(Math.Min(destination.Length, _bufferLen - _bufferPos), _chunkRemaining);
                    var data = _buffer.AsSpan(_bufferPos, n);
                    data.CopyTo(destination.Span);
                    _chunkHash?.AppendData(data);
                    _bufferPos += n;
                    _chunkRemaining -= n;
                    _decoded += n;
                    if (_chunkRemaining == 0) _state = State.ChunkEnd;
                    return n;

                case State.ChunkEnd:
                    if ((await ReadLineAsync(async, ct).ConfigureAwait(false)).Length != 0)
                        throw Malformed("Chunk data is longer than its declared size.");
                    VerifyChunk(_chunkHash?.GetHashAndReset());
                    _state = State.ChunkHeader;
                    continue;

                case State.Trailers:
                    await ReadTrailersAsync(async, ct).ConfigureAwait(false);
                    if (_decodedContentLength is { } expected && expected != _decoded)
                    {
                        throw new AwsException("IncompleteBody",
                            "You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header", 400);
                    }
                    _state = State.Done;
                    return 0;

                default:
                    return 0;
            }
        }
    }

    /// <summary>Parses <c>hex-size[;chunk-signature=sig]</c>; a zero size ends the data.</summary>
    private void StartChunk(string line)
    {
        var span = line.AsSpan();
        var semicolon = span.IndexOf(';');
        var sizeText = (semicolon < 0 ? span : span[..semicolon]).Trim();
        if (sizeText.IsEmpty || !long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            throw Malformed($"Invalid chunk size '{sizeText}'.");

        _chunkSignature = null;
        if (semicolon >= 0)
        {
            var extensions = span[(semicolon + 1)..];
            var at = extensions.IndexOf("chunk-signature=", StringComparison.Ordinal);
            if (at >= 0)
            {
                var value = extensions[(at + "chunk-signature=".Length)..];
                var end = value.IndexOf(';');
                _chunkSignature = (end < 0 ? value : value[..end]).Trim().ToString();
            }
        }

        if (size == 0)
        {
            VerifyChunk(_signing is null ? null : SHA256.HashData(ReadOnlySpan<byte>.Empty));
            _state = State.Trailers;
            return;
        }
        _chunkRemaining = size;
        _state = State.ChunkData;
    }

    private void VerifyChunk(byte[]? dataHash)
    {
        if (_signing is null || dataHash is null) return;
        var stringToSign = $"AWS4-HMAC-SHA256-PAYLOAD\n{_signing.Timestamp}\n{_signing.Scope}\n{_previousSignature}\n"
            + $"{SigV4Canonical.EmptySha256}\n{Convert.ToHexStringLower(dataHash)}";
        _previousSignature = CheckSignature(stringToSign, _chunkSignature);
    }

    /// <summary>Reads trailing header lines up to an empty line or the end of the body.</summary>
    private async ValueTask ReadTrailersAsync(bool async, CancellationToken ct)
    {
        string? trailerSignature = null;
        while (true)
        {
            var line = await ReadLineAsync(async, ct, allowEnd: true).ConfigureAwait(false);
            if (string.IsNullOrEmpty(line)) break;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw Malformed($"Invalid trailing header '{line}'.");
            var name = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (name == TrailerSignatureName) trailerSignature = value;
            else _trailers[name] = value;
        }

        if (_signing is null || (_trailers.Count == 0 && trailerSignature is null)) return;
        var canonical = new StringBuilder();
        foreach (var (name, value) in _trailers.OrderBy(t => t.Key, StringComparer.Ordinal))
            canonical.Append(name).Append(':').Append(value).Append('\n');
        var stringToSign = $"AWS4-HMAC-SHA256-TRAILER\n{_signing.Timestamp}\n{_signing.Scope}\n{_previousSignature}\n"
            + SigV4Canonical.Sha256Hex(canonical.ToString());
        _previousSignature = CheckSignature(stringToSign, trailerSignature);
    }

    private string CheckSignature(string stringToSign, string? provided)
    {
        var expected = SigV4Canonical.Sign(_signing!.SigningKey, stringToSign);
        byte[]? actual = null;
        if (provided is { Length: 64 })
        {
            try { actual = Convert.FromHexString(provided); }
            catch (FormatException) { actual = null; }
        }
        if (actual is null || !CryptographicOperations.FixedTimeEquals(expected, actual))
            throw AuthErrors.SignatureMismatch(AuthErrorDialect.S3, stringToSign: stringToSign, signatureProvided: provided ?? "");
        return Convert.ToHexStringLower(expected);
    }

    /// <summary>One CRLF- (or LF-) terminated ASCII line, without its terminator.</summary>
    private async ValueTask<string> ReadLineAsync(bool async, CancellationToken ct, bool allowEnd = false)
    {
        StringBuilder? line = null;
        while (true)
        {
            if (_bufferPos == _bufferLen && !await FillAsync(async, ct).ConfigureAwait(false))
            {
                if (allowEnd) return line?.ToString() ?? "";
                throw Truncated();
            }
            var available = _buffer.AsSpan(_bufferPos, _bufferLen - _bufferPos);
            var newline = available.IndexOf((byte)'\n');
            var take = newline < 0 ? available : available[..newline];
            line ??= new StringBuilder();
            if (line.Length + take.Length > MaxLineLength) throw Malformed("A chunk header or trailer line is too long.");
            foreach (var b in take) line.Append((char)b);
            _bufferPos += newline < 0 ? take.Length : newline + 1;
            if (newline < 0) continue;
            if (line.Length > 0 && line[^1] == '\r') line.Length--;
            return line.ToString();
        }
    }

    private async ValueTask<bool> FillAsync(bool async, CancellationToken ct)
    {
        _bufferPos = 0;
        _bufferLen = async
            ? await _inner.ReadAsync(_buffer.AsMemory(), ct).ConfigureAwait(false)
            : _inner.Read(_buffer, 0, _buffer.Length);
        return _bufferLen > 0;
    }

    private static AwsException Truncated() =>
        new("IncompleteBody", "The request body terminated unexpectedly", 400);

    private static AwsException Malformed(string detail) =>
        new("IncompleteBody", $"The aws-chunked request body is malformed: {detail}", 400);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _chunkHash?.Dispose();
            if (!_leaveOpen) _inner.Dispose();
            if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
        base.Dispose(disposing);
    }
}
