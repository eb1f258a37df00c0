using System.Text;
using Nephele.Core.State;

namespace Nephele.Core.Tests.State;

public sealed class BlobStoreTests : IDisposable
{
    private readonly TempDataDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private IBlobStore Create(bool memory) => memory ? new MemoryBlobStore() : new FileBlobStore(_dir.Path);

    private static async Task<string?> ReadAsync(IBlobStore blobs, string service, string id)
    {
        await using var stream = blobs.OpenRead(service, id);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private static ValueTask<long> WriteAsync(IBlobStore blobs, string service, string id, string content)
        => blobs.WriteAsync(service, id, new MemoryStream(Encoding.UTF8.GetBytes(content)));

    [Theory, InlineData(false), InlineData(true)]
    public async Task A_written_blob_reads_back_and_its_size_is_returned(bool memory)
    {
        var blobs = Create(memory);
        Assert.Equal(5, await WriteAsync(blobs, "s3", "bucket/key", "hello"));
        Assert.Equal("hello", await ReadAsync(blobs, "s3", "bucket/key"));
        Assert.Null(await ReadAsync(blobs, "s3", "bucket/other"));
        Assert.Null(await ReadAsync(blobs, "lambda", "bucket/key"));
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task Writing_again_replaces_the_blob_while_an_open_reader_keeps_the_old_content(bool memory)
    {
        var blobs = Create(memory);
        await WriteAsync(blobs, "s3", "k", "old");
        await using var old = blobs.OpenRead("s3", "k")!;
        await WriteAsync(blobs, "s3", "k", "new");
        Assert.Equal("old", await new StreamReader(old).ReadToEndAsync());
        Assert.Equal("new", await ReadAsync(blobs, "s3", "k"));
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task Delete_removes_a_blob_and_reports_whether_it_existed(bool memory)
    {
        var blobs = Create(memory);
        await WriteAsync(blobs, "s3", "k", "x");
        Assert.True(blobs.Delete("s3", "k"));
        Assert.Null(blobs.OpenRead("s3", "k"));
        Assert.False(blobs.Delete("s3", "k"));
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task A_large_blob_round_trips_byte_for_byte(bool memory)
    {
        var blobs = Create(memory);
        var content = new byte[3 * 1024 * 1024 + 17];
        new Random(42).NextBytes(content);
        Assert.Equal(content.Length, await blobs.WriteAsync("s3", "big", new MemoryStream(content)));
        await using var stream = blobs.OpenRead("s3", "big")!;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(content, copy.ToArray());
    }

    [Fact]
    public async Task Ids_with_dot_dot_segments_stay_inside_the_data_directory()
    {
        var blobs = new FileBlobStore(_dir.Path);
        string[] ids = ["../../../../escaped", "..", "/etc/passwd", "a\\..\\..\\b", "\0", ""];
        foreach (var id in ids) await WriteAsync(blobs, "s3", id, "content of " + id);

        var root = Path.GetFullPath(_dir.Path) + Path.DirectorySeparatorChar;
        var files = Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories);
        Assert.Equal(ids.Length, files.Length);
        Assert.All(files, f =>
        {
            Assert.StartsWith(root, Path.GetFullPath(f));
            Assert.Matches("^[0-9a-f]{64}$", Path.GetFileName(f));
            Assert.Equal(Path.GetFileName(f)[..2], Path.GetFileName(Path.GetDirectoryName(f)));
        });
        foreach (var id in ids) Assert.Equal("content of " + id, await ReadAsync(blobs, "s3", id));
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "escaped")));
    }

    [Fact]
    public async Task Blobs_are_stored_under_the_service_and_a_two_character_hash_prefix()
    {
        var blobs = new FileBlobStore(_dir.Path);
        await WriteAsync(blobs, "lambda", "fn/code.zip", "zip");
        var file = Assert.Single(Directory.GetFiles(Path.Combine(_dir.Path, "blobs", "lambda"), "*", SearchOption.AllDirectories));
        var name = Path.GetFileName(file);
        Assert.Equal(Path.Combine(Path.GetFullPath(_dir.Path), "blobs", "lambda", name[..2], name), file);
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir.Path, "blobs", ".tmp")));
    }

    [Theory, InlineData(false), InlineData(true)]
    public void A_service_name_that_is_not_a_plain_name_is_refused(bool memory)
    {
        var blobs = Create(memory);
        Assert.Throws<ArgumentException>(() => blobs.OpenRead("../s3", "k"));
        Assert.Throws<ArgumentException>(() => blobs.OpenRead("..", "k"));
        Assert.Throws<ArgumentException>(() => blobs.Delete("s3/x", "k"));
    }

    [Fact]
    public async Task A_failed_write_leaves_no_blob_and_no_temp_file()
    {
        var blobs = new FileBlobStore(_dir.Path);
        await WriteAsync(blobs, "s3", "k", "old");
        await Assert.ThrowsAsync<IOException>(async () => await blobs.WriteAsync("s3", "k", new FailingStream()));
        Assert.Equal("old", await ReadAsync(blobs, "s3", "k"));
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir.Path, "blobs", ".tmp")));
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task Reset_deletes_one_service_or_all_blobs(bool memory)
    {
        var blobs = Create(memory);
        await WriteAsync(blobs, "s3", "a", "1");
        await WriteAsync(blobs, "lambda", "b", "2");
        blobs.Reset("s3");
        Assert.Null(blobs.OpenRead("s3", "a"));
        Assert.Equal("2", await ReadAsync(blobs, "lambda", "b"));
        blobs.Reset();
        Assert.Null(blobs.OpenRead("lambda", "b"));
        await WriteAsync(blobs, "lambda", "b", "3");
        Assert.Equal("3", await ReadAsync(blobs, "lambda", "b"));
    }

    /// <summary>Yields some bytes, then fails like a client that disconnects mid-upload.</summary>
    private sealed class FailingStream : Stream
    {
        private int _reads;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_reads++ > 0) throw new IOException("connection reset");
            buffer[offset] = (byte)'x';
            return 1;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
