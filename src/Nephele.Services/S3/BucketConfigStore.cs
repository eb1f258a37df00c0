using Nephele.Core.State;

namespace Nephele.Services.S3;

/// <summary>
/// Each bucket's configuration documents (tagging, CORS, lifecycle, policy, ACL, ...), one row per document,
/// keyed "&lt;bucket&gt;/&lt;ConfigName&gt;" (id-keyed ones "&lt;bucket&gt;/&lt;ConfigName&gt;/&lt;id&gt;") in the bucket
/// name space's global scope, so that deleting a bucket deletes every row under "&lt;bucket&gt;/".
/// </summary>
internal sealed class BucketConfigStore(IStateStore state)
{
    private static readonly Scope Names = Scope.Global("s3");

    private readonly IResourceTable _rows = state.Table("s3", "bucket-config");
    private readonly TableCache<string, byte[]?> _cache = new(state.Table("s3", "bucket-config"));

    /// <summary>A fresh copy of the document (callers may change it), or null; the stored bytes are cached while the table is unchanged, so the common
    /// answer for object requests — no such configuration — costs no read of the store.</summary>
    public Dictionary<string, object?>? Get(string bucket, string name) =>
        Row(bucket, name) is { } bytes ? ConfigDocument.Read(bytes) : null;

    public void Put(string bucket, string name, Dictionary<string, object?> document)
    {
        _rows.Put(Names, Key(bucket, name), ConfigDocument.Write(document));
    }

    public bool Delete(string bucket, string name) => _rows.Delete(Names, Key(bucket, name));

    public bool Exists(string bucket, string name) => Row(bucket, name) is not null;

    private byte[]? Row(string bucket, string name)
    {
        var key = Key(bucket, name);
        return _cache.Get(key, k => _rows.Get(Names, k));
    }

    /// <summary>The documents of an id-keyed configuration ("Inventory", "Metrics", ...) in id order, after <paramref name="afterId"/>.</summary>
    public IReadOnlyList<(string Id, Dictionary<string, object?> Document)> List(string bucket, string name, string? afterId, int limit)
    {
        var prefix = Key(bucket, name) + "/";
        return _rows.List(Names, prefix, afterId is null ? null : prefix + afterId, limit)
            .Select(kv => (kv.Key[prefix.Length..], ConfigDocument.Read(kv.Value)))
            .ToList();
    }

    public long CountOf(string bucket, string name) => _rows.List(Names, Key(bucket, name) + "/").Count;

    private static string Key(string bucket, string name) => bucket + "/" + name;
}
