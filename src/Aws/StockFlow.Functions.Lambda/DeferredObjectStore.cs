using StockFlow.Storage;

namespace StockFlow.Functions.Lambda;

/// <summary>
/// The lake store, built on first use: the S3 client's set-up (SDK assemblies, configuration) is
/// most of the bootstrap's own start-up work, and Lambda's cold start ends at the first <c>next</c>.
/// Configuration is still checked at init (<see cref="LambdaEnvironment"/>), so a bad value is an init error.
/// </summary>
/// <param name="create">Builds the real store (the S3 store), once, on the first call of any member.</param>
public sealed class DeferredObjectStore(Func<IObjectStore> create) : IObjectStore, IDisposable
{
    private readonly Lazy<IObjectStore> _store = new(create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <inheritdoc/>
    public Task PutAsync(string bucket, string key, Stream content, CancellationToken cancellationToken = default) =>
        _store.Value.PutAsync(bucket, key, content, cancellationToken);

    /// <inheritdoc/>
    public Task<Stream?> GetAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        _store.Value.GetAsync(bucket, key, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string prefix, CancellationToken cancellationToken = default) =>
        _store.Value.ListAsync(bucket, prefix, cancellationToken);

    /// <inheritdoc/>
    public Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        _store.Value.DeleteAsync(bucket, key, cancellationToken);

    /// <inheritdoc/>
    public Task<ObjectInfo?> GetObjectInfoAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        _store.Value.GetObjectInfoAsync(bucket, key, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> PutIfAbsentAsync(string bucket, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        _store.Value.PutIfAbsentAsync(bucket, key, content, cancellationToken);

    /// <inheritdoc/>
    public Task<TaggedObject?> GetTaggedAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        _store.Value.GetTaggedAsync(bucket, key, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> DeleteIfMatchAsync(string bucket, string key, string eTag, CancellationToken cancellationToken = default) =>
        _store.Value.DeleteIfMatchAsync(bucket, key, eTag, cancellationToken);

    /// <summary>Disposes the real store if it was built.</summary>
    public void Dispose()
    {
        if (_store.IsValueCreated)
        {
            (_store.Value as IDisposable)?.Dispose();
        }
    }
}
