using System.Collections.Concurrent;

namespace Nephele.Core.State;

/// <summary>Blobs for --ephemeral: whole byte arrays in memory, replaced (never mutated) on write.</summary>
public sealed class MemoryBlobStore : IBlobStore
{
    private readonly ConcurrentDictionary<(string Service, string Id), byte[]> _blobs = new();

    public async ValueTask<long> WriteAsync(string service, string id, Stream content, CancellationToken ct = default)
    {
        BlobIds.ValidateService(service);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, ct).ConfigureAwait(false);
        var bytes = buffer.ToArray();
        _blobs[(service, id)] = bytes;
        return bytes.LongLength;
    }

    public Stream? OpenRead(string service, string id)
    {
        BlobIds.ValidateService(service);
        ArgumentNullException.ThrowIfNull(id);
        return _blobs.TryGetValue((service, id), out var bytes) ? new MemoryStream(bytes, writable: false) : null;
    }

    public bool Delete(string service, string id)
    {
        BlobIds.ValidateService(service);
        ArgumentNullException.ThrowIfNull(id);
        return _blobs.TryRemove((service, id), out _);
    }

    public void Reset(string? service = null)
    {
        if (service is null)
        {
            _blobs.Clear();
            return;
        }
        foreach (var key in _blobs.Keys)
            if (key.Service == service) _blobs.TryRemove(key, out _);
    }
}
