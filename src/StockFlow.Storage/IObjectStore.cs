namespace StockFlow.Storage;

/// <summary>
/// The object store the lake lives in: S3 on AWS, a folder on one machine. Keys use '/'
/// and mean the same in both, so every handler is written once against this interface.
/// </summary>
public interface IObjectStore
{
    /// <summary>Writes (or overwrites) an object. Throws <see cref="BucketNotFoundException"/> when the bucket does not exist.</summary>
    Task PutAsync(string bucket, string key, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Opens an object for reading, or returns null when the key does not exist.</summary>
    Task<Stream?> GetAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>Lists objects whose key starts with <paramref name="prefix"/>, in key order, across pages.</summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes an object; deleting a missing key is not an error (as on S3).</summary>
    Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default);
}

public sealed record ObjectInfo(string Key, long Size, DateTimeOffset LastModified);

public sealed class BucketNotFoundException(string bucket)
    : Exception($"Bucket '{bucket}' does not exist.")
{
    public string Bucket { get; } = bucket;
}
