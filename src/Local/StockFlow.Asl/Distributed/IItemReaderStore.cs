namespace StockFlow.Asl.Distributed;

/// <summary>The object store a Distributed Map reads items from and writes results to (S3 on AWS, the local lake here).</summary>
public interface IItemReaderStore
{
    /// <summary>The object's content, or null when it does not exist.</summary>
    Task<Stream?> OpenAsync(string bucket, string key, CancellationToken cancellationToken);

    IAsyncEnumerable<(string Key, long Size, DateTimeOffset LastModified, string ETag)> ListAsync(string bucket, string prefix, CancellationToken cancellationToken);

    Task WriteAsync(string bucket, string key, Stream content, CancellationToken cancellationToken);
}
