using System.Runtime.CompilerServices;
using StockFlow.Asl;
using StockFlow.Asl.Distributed;
using StockFlow.Storage;

namespace StockFlow.Runtime.Local.Bindings;

/// <summary>Lets a Distributed Map's ItemReader and ResultWriter use the lake's object store.</summary>
public sealed class ObjectStoreItemReader(IObjectStore store) : IItemReaderStore
{
    /// <summary>The object's content, or null when it does not exist.</summary>
    public Task<Stream?> OpenAsync(string bucket, string key, CancellationToken cancellationToken) =>
        store.GetAsync(bucket, key, cancellationToken);

    /// <summary>The objects under <paramref name="prefix"/> with an ETag made of size and time (the local store keeps none).</summary>
    public async IAsyncEnumerable<(string Key, long Size, DateTimeOffset LastModified, string ETag)> ListAsync(
        string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in store.ListAsync(bucket, prefix, cancellationToken))
        {
            // The local store keeps no ETags; size and time identify a version well enough here.
            yield return (item.Key, item.Size, item.LastModified, $"\"{item.Size:x}-{item.LastModified.ToUnixTimeMilliseconds():x}\"");
        }
    }

    /// <summary>Writes (or replaces) an object: a ResultWriter's manifest and result files.</summary>
    public Task WriteAsync(string bucket, string key, Stream content, CancellationToken cancellationToken) =>
        store.PutAsync(bucket, key, content, cancellationToken);
}
