using Microsoft.Extensions.Time.Testing;
using StockFlow.Storage;
using StockFlow.Storage.Tests;

namespace StockFlow.Functions.Tests.Lake;

/// <summary>A fresh, empty bucket in one of the two real object stores, and the lake's content as text.</summary>
public sealed class TestLake : IAsyncDisposable
{
    private readonly string? _folder;
    private readonly IDisposable? _owned;

    private TestLake(IObjectStore store, string bucket, string? folder, IDisposable? owned)
    {
        Store = store;
        Bucket = bucket;
        _folder = folder;
        _owned = owned;
    }

    public IObjectStore Store { get; }

    public string Bucket { get; }

    /// <summary>A fixed clock (mid-March 2024, a Friday) so plans are reproducible.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2024, 3, 15, 21, 0, 0, TimeSpan.Zero));

    public static async Task<TestLake> FileSystemAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "stockflow-fn-" + Guid.NewGuid().ToString("N"));
        var store = new FileSystemObjectStore(folder);
        const string bucket = "lake";
        await store.EnsureBucketAsync(bucket);
        return new TestLake(store, bucket, folder, null);
    }

    public static async Task<TestLake> S3Async(S3ServerFixture server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var store = new S3ObjectStore(server.Options());
        var bucket = "lake-" + Guid.NewGuid().ToString("N")[..12];
        await store.EnsureBucketAsync(bucket);
        return new TestLake(store, bucket, null, store);
    }

    public async Task<List<string>> KeysAsync(string prefix = "")
    {
        var keys = new List<string>();
        await foreach (var item in Store.ListAsync(Bucket, prefix))
        {
            keys.Add(item.Key);
        }

        return keys;
    }

    public Task<string?> TextAsync(string key) => Store.GetTextAsync(Bucket, key);

    public ValueTask DisposeAsync()
    {
        _owned?.Dispose();
        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
