using System.Text;
using Nephele.Core.Auth;
using Nephele.Core.Protocols;

namespace Nephele.Core.Tests.Auth;

/// <summary>
/// aws-chunked bodies, starting from the worked example in AWS's S3 docs ("Transferring payload in multiple
/// chunks"): 66560 bytes of 'a' sent as a 65536-byte chunk, a 1024-byte chunk and the empty final chunk.
/// </summary>
public sealed class AwsChunkedStreamTests
{
    private const string ExampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string SeedSignature = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
    private static readonly string[] ChunkSignatures =
    [
        "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
        "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
        "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
    ];

    internal static byte[] ExampleBody(string? tamperedSignature = null, byte tamperedByte = (byte)'a')
    {
        using var body = new MemoryStream();
        void Write(string s) => body.Write(Encoding.ASCII.GetBytes(s));
        Write($"10000;chunk-signature={tamperedSignature ?? ChunkSignatures[0]}\r\n");
        var chunk = Enumerable.Repeat((byte)'a', 65536).ToArray();
        chunk[1000] = tamperedByte;
        body.Write(chunk);
        Write($"\r\n400;chunk-signature={ChunkSignatures[1]}\r\n");
        body.Write(Enumerable.Repeat((byte)'a', 1024).ToArray());
        Write($"\r\n0;chunk-signature={ChunkSignatures[2]}\r\n\r\n");
        return body.ToArray();
    }

    internal static AwsRequest ExampleRequest(byte[] body) => RawRequestWithBody(body,
        ("x-amz-date", "20130524T000000Z"),
        ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
        ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class, "
            + $"Signature={SeedSignature}"),
        ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
        ("Content-Encoding", "aws-chunked"),
        ("x-amz-decoded-content-length", "66560"),
        ("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static AwsRequest RawRequestWithBody(byte[] body, params (string, string)[] headers) =>
        RawRequest.Build("PUT", "/examplebucket/chunkObject.txt", "s3.amazonaws.com", body, headers);

    private static readonly ManualClock ExampleClock = new(new DateTimeOffset(2013, 5, 24, 0, 5, 0, TimeSpan.Zero));

    private static async Task<SigV4SigningContext> VerifiedExample(AwsRequest request)
    {
        var context = await new SigV4Verifier(ExampleClock).VerifyAsync(request, SigV4Credential.Parse(request)!, ExampleSecret);
        return context!;
    }

    [Fact]
    public async Task Docs_example_seed_signature_verifies_and_chunks_decode_to_the_payload()
    {
        var body = ExampleBody();
        Assert.Equal(66824, body.Length);
        var request = ExampleRequest(body);

        var context = await VerifiedExample(request);
        await using var decoded = AwsChunkedStream.ForRequest(request, context)!;
        using var output = new MemoryStream();
        await decoded.CopyToAsync(output);

        Assert.Equal(66560, output.Length);
        Assert.All(output.ToArray(), b => Assert.Equal((byte)'a', b));
        Assert.True(decoded.IsComplete);
        Assert.Empty(decoded.TrailingHeaders);
    }

    [Fact]
    public async Task Tampered_chunk_data_fails_with_SignatureDoesNotMatch()
    {
        var request = ExampleRequest(ExampleBody(tamperedByte: (byte)'b'));
        var context = await VerifiedExample(request);
        await using var decoded = AwsChunkedStream.ForRequest(request, context)!;

        var error = await Assert.ThrowsAsync<AwsException>(() => decoded.CopyToAsync(Stream.Null));

        Assert.Equal("SignatureDoesNotMatch", error.Code);
        Assert.Equal(403, error.HttpStatus);
    }

    [Fact]
    public async Task Wrong_chunk_signature_fails_with_SignatureDoesNotMatch()
    {
        var request = ExampleRequest(ExampleBody(tamperedSignature: new string('0', 64)));
        var context = await VerifiedExample(request);
        await using var decoded = AwsChunkedStream.ForRequest(request, context)!;

        var error = await Assert.ThrowsAsync<AwsException>(() => decoded.CopyToAsync(Stream.Null));

        Assert.Equal("SignatureDoesNotMatch", error.Code);
    }

    [Fact]
    public async Task Unverified_decoding_ignores_chunk_signatures()
    {
        var request = ExampleRequest(ExampleBody(tamperedSignature: new string('0', 64)));
        await using var decoded = AwsChunkedStream.ForRequest(request, signing: null)!;
        using var output = new MemoryStream();

        await decoded.CopyToAsync(output);

        Assert.Equal(66560, output.Length);
    }

    [Fact]
    public async Task Decoding_is_the_same_when_the_body_arrives_a_few_bytes_at_a_time()
    {
        var request = ExampleRequest(ExampleBody());
        var context = await VerifiedExample(request);
        request.Body = new TrickleStream(ExampleBody());
        await using var decoded = AwsChunkedStream.ForRequest(request, context)!;
        using var output = new MemoryStream();

        var buffer = new byte[333];
        int n;
        while ((n = await decoded.ReadAsync(buffer)) > 0) output.Write(buffer, 0, n);

        Assert.Equal(66560, output.Length);
        Assert.True(decoded.IsComplete);
    }

    [Fact]
    public void Synchronous_reads_decode_too()
    {
        using var decoded = new AwsChunkedStream(new TrickleStream(ExampleBody()));
        using var output = new MemoryStream();

        decoded.CopyTo(output);

        Assert.Equal(66560, output.Length);
    }

    [Fact]
    public async Task Unsigned_trailer_variant_exposes_the_crc32_trailer()
    {
        var body = Encoding.ASCII.GetBytes("5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n");
        var request = RawRequest.Build("PUT", "/bucket/key", "localhost", body,
            ("x-amz-content-sha256", SigV4Canonical.StreamingUnsignedPayloadTrailer),
            ("Content-Encoding", "aws-chunked"),
            ("x-amz-trailer", "x-amz-checksum-crc32"),
            ("x-amz-decoded-content-length", "11"));
        await using var decoded = AwsChunkedStream.ForRequest(request, signing: null)!;
        using var reader = new StreamReader(decoded);

        Assert.Equal("hello world", await reader.ReadToEndAsync());
        Assert.Equal("DUoRhQ==", decoded.TrailingHeaders["x-amz-checksum-crc32"]);
    }

    [Fact]
    public async Task Decoded_length_other_than_declared_fails_with_IncompleteBody()
    {
        var body = Encoding.ASCII.GetBytes("5\r\nhello\r\n0\r\n\r\n");
        await using var decoded = new AwsChunkedStream(new MemoryStream(body), decodedContentLength: 6);

        var error = await Assert.ThrowsAsync<AwsException>(() => decoded.CopyToAsync(Stream.Null));

        Assert.Equal("IncompleteBody", error.Code);
        Assert.Equal(400, error.HttpStatus);
    }

    [Theory]
    [InlineData("5\r\nhel")]
    [InlineData("5\r\nhello\r\n")]
    [InlineData("zz\r\nhello\r\n0\r\n\r\n")]
    [InlineData("3\r\nhello\r\n0\r\n\r\n")]
    public async Task Truncated_or_malformed_framing_fails_with_IncompleteBody(string raw)
    {
        await using var decoded = new AwsChunkedStream(new MemoryStream(Encoding.ASCII.GetBytes(raw)));

        var error = await Assert.ThrowsAsync<AwsException>(() => decoded.CopyToAsync(Stream.Null));

        Assert.Equal("IncompleteBody", error.Code);
    }

    [Fact]
    public void Request_without_aws_chunked_encoding_is_not_wrapped()
    {
        var request = RawRequest.Build("PUT", "/bucket/key", "localhost", "plain"u8.ToArray(),
            ("x-amz-content-sha256", SigV4Canonical.UnsignedPayload));

        Assert.Null(AwsChunkedStream.ForRequest(request, signing: null));
    }

    /// <summary>Returns at most 7 bytes per read, so chunk headers straddle reads.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 7));
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 7)]);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 7)], cancellationToken);
    }
}
