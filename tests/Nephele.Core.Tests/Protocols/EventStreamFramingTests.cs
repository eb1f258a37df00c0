using System.Text;
using Nephele.Core.Protocols;
using Nephele.Core.Protocols.EventStream;

namespace Nephele.Core.Tests.Protocols;

/// <summary>
/// Event stream framing against the reference messages of the AWS SDKs' event stream decoders
/// (the aws-c-event-stream vectors that botocore and the Transcribe SDK test with).
/// </summary>
public sealed class EventStreamFramingTests
{
    private const string Empty = "000000100000000005C248EB7D98C8FF";
    private const string Int8Header = "000000170000000729860158046279746502FFC2F869DC";
    private const string Int16Header = "0000001900000009710E923E0573686F727403FFFFB27CB6CC";
    private const string Int32Header = "0000001D0000000D83E3F0E707696E746567657204FFFFFFFF8B8E12EB";
    private const string Int64Header = "0000001E0000000E5D4ADB8D046C6F6E6705FFFFFFFFFFFFFFFF4BC232DA";
    private const string PayloadNoHeaders = "0000001D00000000FD528C5A7B27666F6F273A27626172277DC3653936";
    private const string PayloadOneStringHeader =
        "0000003D0000002007FD83960C636F6E74656E742D747970650700106170706C69636174696F6E2F6A736F6E7B27666F6F273A27626172277D8D9C08B1";
    private const string AllHeaderTypes =
        "000000620000005203B5CB9C01300001310101320202013303000301340400000004013505000000000000000501360600056279746573"
        + "01370700047574663801380800000000000000080139093031323334353637383961626364656663353671";
    private const string ErrorMessage =
        "0000005200000042BF23637E0D3A6D6573736167652D747970650700056572726F720B3A6572726F722D636F6465070004636F6465"
        + "0E3A6572726F722D6D6573736167650700076D6573736167656B6CEA3D";
    private const string TimestampHeader = "000000230000001367FDCB630974696D657374616D700800000172EEBC27A6D4445E11";
    private const string DuplicateHeader = "00000024000000144BB982D00474657374046173646604746573740461736466F3F47563";

    private static readonly byte[] FooBar = Encoding.ASCII.GetBytes("{'foo':'bar'}");

    public static TheoryData<string, EventStreamMessage> ReferenceMessages => new()
    {
        { Empty, new([], ReadOnlyMemory<byte>.Empty) },
        { Int8Header, new([new("byte", (sbyte)-1)], ReadOnlyMemory<byte>.Empty) },
        { Int16Header, new([new("short", (short)-1)], ReadOnlyMemory<byte>.Empty) },
        { Int32Header, new([new("integer", -1)], ReadOnlyMemory<byte>.Empty) },
        { Int64Header, new([new("long", -1L)], ReadOnlyMemory<byte>.Empty) },
        { PayloadNoHeaders, new([], FooBar) },
        { PayloadOneStringHeader, new([new("content-type", "application/json")], FooBar) },
        {
            AllHeaderTypes, new(
            [
                new("0", true), new("1", false), new("2", (sbyte)2), new("3", (short)3), new("4", 4), new("5", 5L),
                new("6", "bytes"u8.ToArray()), new("7", "utf8"), new("8", DateTimeOffset.FromUnixTimeMilliseconds(8)),
                new("9", new Guid("0123456789abcdef"u8, bigEndian: true)),
            ], ReadOnlyMemory<byte>.Empty)
        },
        { ErrorMessage, EventStreamMarshaller.Error("code", "message") },
        { TimestampHeader, new([new("timestamp", DateTimeOffset.FromUnixTimeMilliseconds(1593143207846))], ReadOnlyMemory<byte>.Empty) },
    };

    [Theory]
    [MemberData(nameof(ReferenceMessages))]
    public void Writer_produces_the_reference_bytes(string hex, EventStreamMessage message)
        => Assert.Equal(hex, Convert.ToHexString(EventStreamWriter.Encode(message)));

    [Theory]
    [MemberData(nameof(ReferenceMessages))]
    public void Reader_decodes_the_reference_bytes(string hex, EventStreamMessage expected)
        => AssertSameMessage(expected, EventStreamReader.Decode(Convert.FromHexString(hex)));

    [Fact]
    public async Task Reader_returns_each_message_of_a_stream_then_null_at_its_end()
    {
        var stream = new MemoryStream(Convert.FromHexString(PayloadOneStringHeader + Empty + ErrorMessage));
        var reader = new EventStreamReader(new TrickleStream(stream));

        Assert.Equal("application/json", (await reader.ReadAsync())!.StringHeader("content-type"));
        Assert.Empty((await reader.ReadAsync())!.Headers);
        Assert.Equal("error", (await reader.ReadAsync())!.MessageType);
        Assert.Null(await reader.ReadAsync());
    }

    [Fact]
    public void TryDecode_waits_for_a_whole_message_and_says_how_much_it_used()
    {
        var bytes = Convert.FromHexString(PayloadNoHeaders + Empty);

        Assert.False(EventStreamReader.TryDecode(bytes.AsSpan(0, 20), out _, out _));
        Assert.True(EventStreamReader.TryDecode(bytes, out var message, out var consumed));
        Assert.Equal(0x1D, consumed);
        Assert.Equal(FooBar, message.Payload.ToArray());
    }

    [Fact]
    public async Task A_large_payload_survives_a_round_trip_through_a_stream()
    {
        var payload = new byte[1_000_003];
        new Random(7).NextBytes(payload);
        var message = new EventStreamMessage([new(":event-type", "Records"), new("id", Guid.NewGuid())], payload);
        var buffer = new MemoryStream();

        await EventStreamWriter.WriteAsync(buffer, message);
        buffer.Position = 0;
        var read = await new EventStreamReader(buffer).ReadAsync();

        AssertSameMessage(message, read!);
    }

    [Theory]
    [InlineData("0000003DFF00010207FD83960C636F6E74656E742D747970650700106170706C69636174696F6E2F6A736F6E7B27666F6F273A27626172277D8D9C08B1", "prelude checksum")]
    [InlineData("0000003D0000002007FD83960C636F6E74656E742B747970650700106170706C69636174696F6E2F6A736F6E7B27666F6F273A27626172277D8D9C08B1", "message checksum")]
    [InlineData("0100001D00000000FD528C5A7B27666F6F273A27626172277DC3653936", "prelude checksum")]
    [InlineData("0000001D00000000FD528C5A7B27666F6F273A27626172278DC3653936", "message checksum")]
    [InlineData(DuplicateHeader, "appears twice")]
    public void Reader_rejects_a_corrupted_message_as_a_serialization_error(string hex, string reason)
    {
        var error = Assert.Throws<AwsException>(() => EventStreamReader.Decode(Convert.FromHexString(hex)));
        Assert.Equal("SerializationException", error.Code);
        Assert.Equal(400, error.HttpStatus);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reader_rejects_a_stream_that_ends_inside_a_message()
    {
        var bytes = Convert.FromHexString(PayloadNoHeaders);
        var reader = new EventStreamReader(new MemoryStream(bytes[..^3]));

        var error = await Assert.ThrowsAsync<AwsException>(async () => await reader.ReadAsync());
        Assert.Equal("SerializationException", error.Code);
    }

    [Fact]
    public void Writer_refuses_a_header_value_of_an_unknown_type()
        => Assert.Throws<ArgumentException>(() => EventStreamWriter.Encode(new([new("when", DateTime.UtcNow)], ReadOnlyMemory<byte>.Empty)));

    [Fact]
    public void Crc32_matches_the_standard_check_value_on_every_input_length()
    {
        // "123456789" -> 0xCBF43926 is the CRC-32 check value; longer inputs exercise the 8-byte loop.
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog", 3)));
        for (var length = 0; length <= data.Length; length++)
            Assert.Equal(BitwiseCrc32(data.AsSpan(0, length)), Crc32.Compute(data.AsSpan(0, length)));
        Assert.Equal(Crc32.Compute(data), Crc32.Append(Crc32.Compute(data.AsSpan(0, 50)), data.AsSpan(50)));
    }

    private static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    internal static void AssertSameMessage(EventStreamMessage expected, EventStreamMessage actual)
    {
        Assert.Equal(expected.Headers.Count, actual.Headers.Count);
        for (var i = 0; i < expected.Headers.Count; i++)
        {
            Assert.Equal(expected.Headers[i].Name, actual.Headers[i].Name);
            Assert.Equal(expected.Headers[i].Type, actual.Headers[i].Type);
            Assert.Equal(expected.Headers[i].Value, actual.Headers[i].Value);
        }
        Assert.Equal(expected.Payload.ToArray(), actual.Payload.ToArray());
    }

    /// <summary>Hands out at most three bytes per read, like a slow network.</summary>
    private sealed class TrickleStream(Stream inner) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 3));
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
