using System.Globalization;
using System.Security.Cryptography;
using Nephele.Core.State;

namespace Nephele.Services.S3;

/// <summary>
/// Object metadata rows, all in S3's global scope so that keys sort per bucket:
/// <list type="bullet">
/// <item><c>objects</c>: "&lt;bucket&gt;/&lt;key&gt;" → the current version (never a delete marker). Listings read it in key order.</item>
/// <item><c>versions</c>: "&lt;bucket&gt;/&lt;key&gt;\u0001&lt;sort&gt;" → every version and delete marker of a bucket that has
/// ever had versioning enabled; <c>sort</c> decreases with time, so a key's versions list newest first.</item>
/// <item><c>uploads</c>: "&lt;bucket&gt;/&lt;key&gt;\u0001&lt;uploadId&gt;" and <c>parts</c>: "&lt;uploadId&gt;/&lt;part number&gt;".</item>
/// </list>
/// Object bytes live in blob files whose ids are ours ("o/&lt;guid&gt;"), never derived from the key.
/// </summary>
internal sealed class ObjectStore(IStateStore state, TimeProvider clock)
{
    public const string BlobService = "s3";
    /// <summary>Separates a key from its version or upload suffix; sorts below every printable character.</summary>
    public const char Separator = '\u0001';

    private static readonly Scope Global = Scope.Global("s3");
    private static long _lastSequence;

    private readonly IResourceTable _objects = state.Table("s3", "objects");
    private readonly IResourceTable _versions = state.Table("s3", "versions");
    private readonly IResourceTable _uploads = state.Table("s3", "uploads");
    private readonly IResourceTable _parts = state.Table("s3", "parts");

    public IBlobStore Blobs => state.Blobs;


    /// <summary>A store transaction that also keeps the bucket cache right if it writes bucket rows.</summary>
    public T Transaction<T>(Func<T> work) => state.Transaction(work);

    public static string RowKey(string bucket, string key) => bucket + "/" + key;

    // ---- current objects

    public ObjectRecord? Current(string bucket, string key) =>
        _objects.Get(Global, RowKey(bucket, key), S3ObjectJsonContext.Default.ObjectRecord);

    public void PutCurrent(string bucket, ObjectRecord record) =>
        _objects.Put(Global, RowKey(bucket, record.Key), record, S3ObjectJsonContext.Default.ObjectRecord);

    public bool DeleteCurrent(string bucket, string key) => _objects.Delete(Global, RowKey(bucket, key));

    /// <summary>Raw rows of current objects (row key without the bucket, JSON), so a listing deserializes only what it returns.</summary>
    public List<KeyValuePair<string, byte[]>> ListCurrentRows(string bucket, string prefix, string? startAfter, int limit)
    {
        var rows = _objects.List(Global, RowKey(bucket, prefix), startAfter is null ? null : RowKey(bucket, startAfter), limit);
        return rows.Select(r => new KeyValuePair<string, byte[]>(r.Key[(bucket.Length + 1)..], r.Value)).ToList();
    }

    public static ObjectRecord Parse(byte[] row) => System.Text.Json.JsonSerializer.Deserialize(row, S3ObjectJsonContext.Default.ObjectRecord)!;

    /// <summary>Current objects of a bucket whose key starts with <paramref name="prefix"/>, after <paramref name="startAfter"/>, in key order.</summary>
    public List<ObjectRecord> ListCurrent(string bucket, string prefix, string? startAfter, int limit)
    {
        var rows = _objects.List(Global, RowKey(bucket, prefix), startAfter is null ? null : RowKey(bucket, startAfter), limit);
        var result = new List<ObjectRecord>(rows.Count);
        foreach (var row in rows)
            result.Add(System.Text.Json.JsonSerializer.Deserialize(row.Value, S3ObjectJsonContext.Default.ObjectRecord)!);
        return result;
    }

    public bool HasObjects(string bucket) =>
        _objects.List(Global, bucket + "/", limit: 1).Count > 0 || _versions.List(Global, bucket + "/", limit: 1).Count > 0;

    // ---- versions

    /// <summary>A new sort suffix: later writes get smaller values. Unique within the process; random tail across processes.</summary>
    public string NewSort()
    {
        var ticks = clock.GetUtcNow().UtcTicks;
        long seq, next;
        do
        {
            seq = Interlocked.Read(ref _lastSequence);
            next = Math.Max(seq + 1, ticks);
        } while (Interlocked.CompareExchange(ref _lastSequence, next, seq) != seq);
        Span<byte> random = stackalloc byte[6];
        RandomNumberGenerator.Fill(random);
        return (long.MaxValue - next).ToString("x16", CultureInfo.InvariantCulture) + Convert.ToHexStringLower(random);
    }

    /// <summary>Versions of exactly one key, newest first.</summary>
    public List<ObjectRecord> VersionsOf(string bucket, string key)
    {
        var rows = _versions.List(Global, RowKey(bucket, key) + Separator);
        return rows.Select(r => System.Text.Json.JsonSerializer.Deserialize(r.Value, S3ObjectJsonContext.Default.ObjectRecord)!).ToList();
    }

    public ObjectRecord? Version(string bucket, string key, string versionId)
    {
        if (versionId != "null")
            return _versions.Get(Global, RowKey(bucket, key) + Separator + versionId, S3ObjectJsonContext.Default.ObjectRecord);
        return VersionsOf(bucket, key).Find(v => v.VersionId == "null");
    }

    public void PutVersion(string bucket, ObjectRecord record) =>
        _versions.Put(Global, RowKey(bucket, record.Key) + Separator + record.Sort, record, S3ObjectJsonContext.Default.ObjectRecord);

    public bool DeleteVersion(string bucket, ObjectRecord record) =>
        _versions.Delete(Global, RowKey(bucket, record.Key) + Separator + record.Sort);

    /// <summary>Version rows of a bucket in (key, newest first) order, after the row key suffix <paramref name="startAfter"/>.</summary>
    public List<ObjectRecord> ListVersions(string bucket, string prefix, string? startAfterRow, int limit)
    {
        var rows = _versions.List(Global, RowKey(bucket, prefix), startAfterRow is null ? null : RowKey(bucket, startAfterRow), limit);
        return rows.Select(r => System.Text.Json.JsonSerializer.Deserialize(r.Value, S3ObjectJsonContext.Default.ObjectRecord)!).ToList();
    }

    public static string VersionRow(ObjectRecord record) => record.Key + Separator + record.Sort;

    // ---- multipart uploads

    public UploadRecord? Upload(string bucket, string key, string uploadId) =>
        _uploads.Get(Global, RowKey(bucket, key) + Separator + uploadId, S3ObjectJsonContext.Default.UploadRecord);

    public void PutUpload(string bucket, UploadRecord upload) =>
        _uploads.Put(Global, RowKey(bucket, upload.Key) + Separator + upload.UploadId, upload, S3ObjectJsonContext.Default.UploadRecord);

    public bool DeleteUpload(string bucket, UploadRecord upload) =>
        _uploads.Delete(Global, RowKey(bucket, upload.Key) + Separator + upload.UploadId);

    public List<UploadRecord> ListUploads(string bucket, string prefix, string? startAfterRow, int limit)
    {
        var rows = _uploads.List(Global, RowKey(bucket, prefix), startAfterRow is null ? null : RowKey(bucket, startAfterRow), limit);
        return rows.Select(r => System.Text.Json.JsonSerializer.Deserialize(r.Value, S3ObjectJsonContext.Default.UploadRecord)!).ToList();
    }

    public static string UploadRow(UploadRecord upload) => upload.Key + Separator + upload.UploadId;

    private static string PartKey(string uploadId, int partNumber) =>
        uploadId + "/" + partNumber.ToString("D5", CultureInfo.InvariantCulture);

    public PartRecord? Part(string uploadId, int partNumber) =>
        _parts.Get(Global, PartKey(uploadId, partNumber), S3ObjectJsonContext.Default.PartRecord);

    public void PutPart(string uploadId, PartRecord part) =>
        _parts.Put(Global, PartKey(uploadId, part.PartNumber), part, S3ObjectJsonContext.Default.PartRecord);

    public bool DeletePart(string uploadId, int partNumber) => _parts.Delete(Global, PartKey(uploadId, partNumber));

    /// <summary>Parts of an upload in part-number order, after <paramref name="afterPart"/>.</summary>
    public List<PartRecord> ListParts(string uploadId, int afterPart, int limit)
    {
        var rows = _parts.List(Global, uploadId + "/", afterPart > 0 ? PartKey(uploadId, afterPart) : null, limit);
        return rows.Select(r => System.Text.Json.JsonSerializer.Deserialize(r.Value, S3ObjectJsonContext.Default.PartRecord)!).ToList();
    }

    // ---- blobs

    public static string NewBlobId() => "o/" + Guid.NewGuid().ToString("N");

    /// <summary>Deletes blob files no row references any more (after the commit that dropped them).</summary>
    public void DeleteBlobs(IEnumerable<string> blobIds)
    {
        foreach (var id in blobIds) state.Blobs.Delete(BlobService, id);
    }

    public static IEnumerable<string> BlobsOf(ObjectRecord? record) =>
        record?.Blobs?.Select(b => b.BlobId) ?? [];
}
