namespace StockFlow.Storage;

/// <summary>
/// The object store the lake lives in: S3 on AWS, a folder on one machine. Keys use '/'
/// and mean the same in both, so every handler is written once against this interface.
/// Keys are checked by <see cref="ObjectKey"/> in every implementation, so a key that works
/// locally also works on S3 (and the reverse).
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

    /// <summary>
    /// Writes a small object only when the key does not exist (S3's conditional write, <c>If-None-Match: *</c>).
    /// False when it exists (S3 answers 412 PreconditionFailed, or 409 when another conditional write races).
    /// </summary>
    Task<bool> PutIfAbsentAsync(string bucket, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>A small object with its ETag (for <see cref="DeleteIfMatchAsync"/>), or null when the key does not exist.</summary>
    Task<TaggedObject?> GetTaggedAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes an object only while it is still the version with <paramref name="eTag"/> (S3's conditional delete,
    /// <c>If-Match</c>). False when it changed (412) or is gone (404).
    /// </summary>
    Task<bool> DeleteIfMatchAsync(string bucket, string key, string eTag, CancellationToken cancellationToken = default);

    /// <summary>
    /// Size and time of one object, or null when the key does not exist. Throws
    /// <see cref="BucketNotFoundException"/> when the bucket does not exist. The default
    /// answers from a listing (the smallest key with the key as prefix is the key itself);
    /// the real stores override it with a direct lookup.
    /// </summary>
    async Task<ObjectInfo?> GetObjectInfoAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        await foreach (var info in ListAsync(bucket, key, cancellationToken))
        {
            return string.Equals(info.Key, key, StringComparison.Ordinal) ? info : null;
        }

        return null;
    }
}

/// <summary>An object as a listing or a metadata request sees it.</summary>
/// <param name="Key">The object's key.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="LastModified">When it was last written.</param>
public sealed record ObjectInfo(string Key, long Size, DateTimeOffset LastModified);

/// <summary>An object's content and the ETag that names this version of it.</summary>
public sealed record TaggedObject(byte[] Content, string ETag);

/// <summary>The bucket named does not exist (a store never creates one as a side effect of a read or write).</summary>
public sealed class BucketNotFoundException : Exception
{
    /// <summary>The bucket <paramref name="bucket"/> does not exist.</summary>
    public BucketNotFoundException(string bucket)
        : this(bucket, null)
    {
    }

    /// <summary>The bucket <paramref name="bucket"/> does not exist, as <paramref name="innerException"/> said.</summary>
    public BucketNotFoundException(string bucket, Exception? innerException)
        : base($"Bucket '{bucket}' does not exist.", innerException)
    {
        Bucket = bucket;
    }

    /// <summary>The bucket that does not exist.</summary>
    public string Bucket { get; }
}
