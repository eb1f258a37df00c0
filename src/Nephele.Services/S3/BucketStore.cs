using Nephele.Core.State;

namespace Nephele.Services.S3;

/// <summary>Buckets, keyed by name in the one name space all accounts and regions share.</summary>
internal sealed class BucketStore(IStateStore state)
{
    /// <summary>Bucket names are global: every bucket row lives in this one scope whatever its owner.</summary>
    private static readonly Scope Names = Scope.Global("s3");

    private readonly IResourceTable _buckets = state.Table("s3", "buckets");
    private readonly IResourceTable _configuration = state.Table("s3", "bucket-config");
    private readonly TableCache<string, BucketRecord?> _cache = new(state.Table("s3", "buckets"));

    public T Transaction<T>(Func<T> work) => state.Transaction(work);

    /// <summary>
    /// The bucket (null when there is none), from memory while the buckets table is unchanged: every request reads
    /// it. Shared between requests, so callers copy it (<c>with</c>) before changing it.
    /// </summary>
    public BucketRecord? Get(string name) =>
        _cache.Get(name, n => _buckets.Get(Names, n, S3JsonContext.Default.BucketRecord));

    public bool TryAdd(BucketRecord bucket) => _buckets.TryAdd(Names, bucket.Name, bucket, S3JsonContext.Default.BucketRecord);

    public void Put(BucketRecord bucket) => _buckets.Put(Names, bucket.Name, bucket, S3JsonContext.Default.BucketRecord);

    public bool Delete(string name) => _buckets.Delete(Names, name);

    /// <summary>Deletes every configuration document of a bucket (rows "&lt;bucket&gt;/&lt;ConfigName&gt;"), as DeleteBucket must.</summary>
    public void DeleteConfiguration(string name)
    {
        foreach (var row in _configuration.List(Names, name + "/"))
            _configuration.Delete(Names, row.Key);
    }

    /// <summary>The buckets of one account, in name order.</summary>
    public IEnumerable<BucketRecord> OwnedBy(string account) =>
        _buckets.Values(Names, S3JsonContext.Default.BucketRecord).Where(b => b.Owner == account);
}
