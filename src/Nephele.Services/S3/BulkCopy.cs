using System.Buffers;

namespace Nephele.Services.S3;

/// <summary>
/// Copies object bytes in 1 MiB pooled buffers, each filled before it is written: hashing, AES-CTR and the file or socket
/// write then run once per MiB rather than once per small read of a request body or a default 80 KiB copy buffer.
/// </summary>
internal static class BulkCopy
{
    public const int BufferSize = 1024 * 1024;

    public static async Task CopyAsync(Stream source, Stream destination, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var filled = await source.ReadAtLeastAsync(buffer.AsMemory(0, BufferSize), BufferSize, throwOnEndOfStream: false, ct).ConfigureAwait(false);
                if (filled == 0) return;
                await destination.WriteAsync(buffer.AsMemory(0, filled), ct).ConfigureAwait(false);
                if (filled < BufferSize) return;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
