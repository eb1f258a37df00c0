namespace Nephele.Core.State;

/// <summary>
/// Blobs as files: <c>&lt;dataDir&gt;/blobs/&lt;service&gt;/&lt;2 hex&gt;/&lt;sha256(id) hex&gt;</c>. Ids are arbitrary
/// (S3 keys with <c>../</c>), so only their hash reaches the file system. A write goes to a temp file, then is renamed
/// over the target: readers see the old blob or the new one, never a torn one. Once written the bytes are in the OS,
/// so an acknowledged write survives a crash or kill -9 of the process — the durability the database commits have
/// (WAL, synchronous=NORMAL) — without an fsync: that would hold each response until the disk had the whole blob (a
/// 1 GiB object at the disk's speed rather than the page cache's). Like the newest commits, the newest blobs may be lost
/// to power loss or an OS crash. Temp files live in <c>blobs/.tmp</c> (same file system, so the rename is
/// atomic); those left by a crash are removed at startup once an hour old, so a second process sharing the
/// directory does not lose a write in progress.
/// </summary>
public sealed class FileBlobStore : IBlobStore
{
    private const string TempDirName = ".tmp";
    private readonly string _root;
    private readonly string _temp;

    public FileBlobStore(string dataDir)
    {
        _root = Path.Combine(Path.GetFullPath(dataDir), "blobs");
        _temp = Path.Combine(_root, TempDirName);
        Directory.CreateDirectory(_temp);
        var stale = DateTime.UtcNow - TimeSpan.FromHours(1);
        foreach (var file in new DirectoryInfo(_temp).EnumerateFiles())
            if (file.LastWriteTimeUtc < stale) TryDelete(file.FullName);
    }

    public async ValueTask<long> WriteAsync(string service, string id, Stream content, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(service, id);
        var temp = Path.Combine(_temp, Guid.NewGuid().ToString("N"));
        try
        {
            long size;
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await content.CopyToAsync(file, 64 * 1024, ct).ConfigureAwait(false);
                await file.FlushAsync(ct).ConfigureAwait(false);
                size = file.Length;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(temp, path, overwrite: true);
            return size;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public Stream? OpenRead(string service, string id)
    {
        var path = PathOf(service, id);
        try
        {
            // FileShare.Delete: an overwrite or delete may replace the name while this reader keeps the old content.
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public bool Delete(string service, string id)
    {
        var file = new FileInfo(PathOf(service, id));
        if (!file.Exists) return false;
        try
        {
            file.Delete();
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
    }

    public void Reset(string? service = null)
    {
        if (service is not null)
        {
            BlobIds.ValidateService(service);
            DeleteDirectory(Path.Combine(_root, service));
            return;
        }
        foreach (var dir in Directory.EnumerateDirectories(_root))
            if (Path.GetFileName(dir) != TempDirName) DeleteDirectory(dir);
    }

    private string PathOf(string service, string id)
    {
        BlobIds.ValidateService(service);
        var hash = BlobIds.Hash(id);
        return Path.Combine(_root, service, hash[..2], hash);
    }

    private static void DeleteDirectory(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
