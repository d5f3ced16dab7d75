namespace StockFlow.Asl.Distributed;

/// <summary>The object store a Distributed Map reads items from and writes results to (S3 on AWS, the local lake here).</summary>
public interface IItemReaderStore
{
    /// <summary>The object's content, or null when it does not exist.</summary>
    Task<Stream?> OpenAsync(string bucket, string key, CancellationToken cancellationToken);

    /// <summary>
    /// The objects whose key starts with <paramref name="prefix"/> ("" for all), in key order, as ListObjectsV2 gives
    /// them (an ItemReader over a listing makes one item of each); the reader stops enumerating at MaxItems.
    /// </summary>
    IAsyncEnumerable<(string Key, long Size, DateTimeOffset LastModified, string ETag)> ListAsync(string bucket, string prefix, CancellationToken cancellationToken);

    /// <summary>Writes or replaces the object (ResultWriter's manifest and result files).</summary>
    Task WriteAsync(string bucket, string key, Stream content, CancellationToken cancellationToken);
}
