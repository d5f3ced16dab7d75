using System.Security.Cryptography;
using System.Text;

namespace StockFlow.Storage.Tests;

/// <summary>
/// The behaviour every <see cref="IObjectStore"/> must share, so handlers written against the
/// local lake behave the same on S3. Each concrete subclass runs all of these cases.
/// </summary>
public abstract class ObjectStoreComplianceTests : IAsyncLifetime
{
    private readonly List<IObjectStore> stores = [];

    protected string Bucket { get; } = $"sf-test-{Guid.NewGuid():N}";

    protected IObjectStore Store { get; private set; } = null!;

    /// <summary>A store over the same backend; <paramref name="listPageSize"/> is how many keys one listing request returns (where pages exist).</summary>
    protected abstract IObjectStore CreateStore(int listPageSize);

    protected abstract Task CreateBucketAsync(string bucket);

    public virtual async Task InitializeAsync()
    {
        Store = Track(CreateStore(1000));
        await CreateBucketAsync(Bucket);
    }

    public virtual Task DisposeAsync()
    {
        foreach (var store in stores)
        {
            (store as IDisposable)?.Dispose();
        }

        return Task.CompletedTask;
    }

    protected IObjectStore Track(IObjectStore store)
    {
        stores.Add(store);
        return store;
    }

    [Fact]
    public async Task Put_then_get_returns_the_exact_bytes()
    {
        var content = new byte[70_000];
        new Random(42).NextBytes(content);
        for (var i = 0; i < 256; i++)
        {
            content[i] = (byte)i; // every byte value, including \0, \r, \n and invalid UTF-8
        }

        await Store.PutAsync(Bucket, "raw/prices/symbol=AAPL/data.bin", content);

        Assert.Equal(content, await Store.GetBytesAsync(Bucket, "raw/prices/symbol=AAPL/data.bin"));
        var info = await Store.GetObjectInfoAsync(Bucket, "raw/prices/symbol=AAPL/data.bin");
        Assert.NotNull(info);
        Assert.Equal(content.Length, info.Size);
        Assert.InRange(info.LastModified, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task An_empty_object_round_trips()
    {
        await Store.PutAsync(Bucket, "landing/empty.csv", Array.Empty<byte>());

        Assert.Equal(Array.Empty<byte>(), await Store.GetBytesAsync(Bucket, "landing/empty.csv"));
        var listed = Assert.Single(await ListAsync(Store, "landing/"));
        Assert.Equal(("landing/empty.csv", 0L), (listed.Key, listed.Size));
    }

    [Fact]
    public async Task A_stream_that_cannot_seek_is_stored_whole()
    {
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("Date,Open,High,Low,Close,Adj Close,Volume\n", 500)));

        await Store.PutAsync(Bucket, "landing/forward-only.csv", new ForwardOnlyStream(content));

        Assert.Equal(content, await Store.GetBytesAsync(Bucket, "landing/forward-only.csv"));
    }

    [Fact]
    public async Task Text_helpers_write_utf8_without_bom_and_read_it_back()
    {
        await Store.PutTextAsync(Bucket, "reports/x/index.html", "<p>Zürich 日本</p>");

        var bytes = await Store.GetBytesAsync(Bucket, "reports/x/index.html");
        Assert.Equal(Encoding.UTF8.GetBytes("<p>Zürich 日本</p>"), bytes);
        Assert.Equal("<p>Zürich 日本</p>", await Store.GetTextAsync(Bucket, "reports/x/index.html"));
    }

    [Fact]
    public async Task A_conditional_put_writes_only_a_missing_key()
    {
        Assert.True(await Store.PutIfAbsentAsync(Bucket, "state/pipeline-lock.json", "first"u8.ToArray()));
        Assert.False(await Store.PutIfAbsentAsync(Bucket, "state/pipeline-lock.json", "second"u8.ToArray()));

        Assert.Equal("first", await Store.GetTextAsync(Bucket, "state/pipeline-lock.json"));
    }

    [Fact]
    public async Task Of_many_racing_conditional_puts_exactly_one_wins()
    {
        var wins = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Store.PutIfAbsentAsync(Bucket, "state/race.json", Encoding.UTF8.GetBytes($"writer {i}")))));

        Assert.Equal(1, wins.Count(w => w));
        var winner = Array.IndexOf(wins, true);
        Assert.Equal($"writer {winner}", await Store.GetTextAsync(Bucket, "state/race.json"));
    }

    [Fact]
    public async Task A_conditional_delete_removes_only_the_version_that_was_read()
    {
        Assert.Null(await Store.GetTaggedAsync(Bucket, "state/lock.json"));
        await Store.PutTextAsync(Bucket, "state/lock.json", "old holder");
        var old = await Store.GetTaggedAsync(Bucket, "state/lock.json");
        Assert.NotNull(old);
        Assert.Equal("old holder", Encoding.UTF8.GetString(old.Content));
        await Store.PutTextAsync(Bucket, "state/lock.json", "new holder");

        Assert.False(await Store.DeleteIfMatchAsync(Bucket, "state/lock.json", old.ETag));
        Assert.Equal("new holder", await Store.GetTextAsync(Bucket, "state/lock.json"));

        var current = await Store.GetTaggedAsync(Bucket, "state/lock.json");
        Assert.True(await Store.DeleteIfMatchAsync(Bucket, "state/lock.json", current!.ETag));
        Assert.Null(await Store.GetTaggedAsync(Bucket, "state/lock.json"));
        Assert.False(await Store.DeleteIfMatchAsync(Bucket, "state/lock.json", current.ETag));
    }

    [Fact]
    public async Task Overwrite_replaces_content_and_size()
    {
        await Store.PutTextAsync(Bucket, "results/e1/average_return.csv", "a long first version of the file");
        await Store.PutTextAsync(Bucket, "results/e1/average_return.csv", "short");

        Assert.Equal("short", await Store.GetTextAsync(Bucket, "results/e1/average_return.csv"));
        var listed = Assert.Single(await ListAsync(Store, "results/"));
        Assert.Equal(5, listed.Size);
    }

    [Fact]
    public async Task List_returns_keys_under_a_prefix_in_key_order_even_when_the_prefix_is_not_a_folder()
    {
        string[] keys =
        [
            "raw/prices/symbol=BRK/2024.csv",
            "raw/prices/symbol=BRK-B/2024.csv",
            "raw/prices/symbol=BRK-B/2025.csv",
            "raw/prices/symbol=AAPL/2024.csv",
            "raw/prices/symbol=BRKX.csv",
            "raw/prices-old/symbol=A/2024.csv",
            "raw/rejected/symbol=BRK/2024.csv",
            "curated/daily_metrics/symbol=BRK/part-0.parquet",
            "raw/prices/symbol=BRK.csv",
        ];
        foreach (var key in keys)
        {
            await Store.PutTextAsync(Bucket, key, key);
        }

        // S3 order is byte order: '-' (0x2D) and '.' (0x2E) sort before '/' (0x2F).
        Assert.Equal(
            ["raw/prices/symbol=BRK-B/2024.csv", "raw/prices/symbol=BRK-B/2025.csv", "raw/prices/symbol=BRK.csv", "raw/prices/symbol=BRK/2024.csv", "raw/prices/symbol=BRKX.csv"],
            await ListKeysAsync(Store, "raw/prices/symbol=BRK"));
        Assert.Equal(
            ["raw/prices-old/symbol=A/2024.csv", "raw/prices/symbol=AAPL/2024.csv", "raw/prices/symbol=BRK-B/2024.csv", "raw/prices/symbol=BRK-B/2025.csv", "raw/prices/symbol=BRK.csv", "raw/prices/symbol=BRK/2024.csv", "raw/prices/symbol=BRKX.csv"],
            await ListKeysAsync(Store, "raw/prices"));
        Assert.Equal(["raw/prices/symbol=BRK/2024.csv"], await ListKeysAsync(Store, "raw/prices/symbol=BRK/"));
        Assert.Equal(keys.Order(StringComparer.Ordinal), await ListKeysAsync(Store, ""));
        Assert.Empty(await ListKeysAsync(Store, "raw/prices/symbol=MSFT"));
        Assert.Empty(await ListKeysAsync(Store, "nothing/here/"));

        var sizes = (await ListAsync(Store, "raw/rejected/")).Select(o => o.Size);
        Assert.Equal([Encoding.UTF8.GetByteCount("raw/rejected/symbol=BRK/2024.csv")], sizes);
    }

    [Fact]
    public async Task List_follows_pages_without_losing_or_repeating_keys()
    {
        var keys = Enumerable.Range(0, 23)
            .Select(i => $"raw/prices/symbol={(i % 3 == 0 ? "BRK" : i % 3 == 1 ? "BRK-B" : "BR")}/{i:D3}.csv")
            .ToList();
        await PutAllAsync(Store, keys);

        var smallPages = Track(CreateStore(listPageSize: 4));

        Assert.Equal(keys.Order(Utf8KeyComparer.Instance), await ListKeysAsync(smallPages, "raw/"));
        Assert.Equal(keys.Where(k => k.StartsWith("raw/prices/symbol=BRK", StringComparison.Ordinal)).Order(Utf8KeyComparer.Instance), await ListKeysAsync(smallPages, "raw/prices/symbol=BRK"));
    }

    [Fact]
    public async Task List_of_many_keys_over_full_pages_returns_them_all_in_order()
    {
        // 250 keys in pages of 100: two full pages and a partial one. (Small pages keep the
        // S3 run fast; the server answers every page size the same way.)
        var keys = Enumerable.Range(0, 250).Select(i => $"landing/batch/{i:D5}.csv").ToList();
        await PutAllAsync(Store, keys);
        await Store.PutTextAsync(Bucket, "landing/batch0.csv", "after the folder: '0' > '/'");

        var listed = await ListKeysAsync(Track(CreateStore(listPageSize: 100)), "landing/batch/");

        Assert.Equal(keys, listed);
        Assert.Equal(keys.Count + 1, (await ListKeysAsync(Track(CreateStore(listPageSize: 100)), "landing/")).Count);
    }

    [Fact]
    public async Task Delete_removes_the_object_and_a_missing_key_is_not_an_error()
    {
        await Store.PutTextAsync(Bucket, "results/e1/q.csv", "x");
        await Store.PutTextAsync(Bucket, "results/e1/r.csv", "y");

        await Store.DeleteAsync(Bucket, "results/e1/q.csv");
        await Store.DeleteAsync(Bucket, "results/e1/q.csv");
        await Store.DeleteAsync(Bucket, "never/existed.csv");

        Assert.Null(await Store.GetAsync(Bucket, "results/e1/q.csv"));
        Assert.False(await Store.ExistsAsync(Bucket, "results/e1/q.csv"));
        Assert.Equal(["results/e1/r.csv"], await ListKeysAsync(Store, ""));
    }

    [Fact]
    public async Task A_deleted_folder_key_can_become_an_object()
    {
        await Store.PutTextAsync(Bucket, "reports/e1/index.html", "x");
        await Store.DeleteAsync(Bucket, "reports/e1/index.html");

        await Store.PutTextAsync(Bucket, "reports/e1", "now an object");

        Assert.Equal("now an object", await Store.GetTextAsync(Bucket, "reports/e1"));
        Assert.Equal(["reports/e1"], await ListKeysAsync(Store, ""));
    }

    [Fact]
    public async Task Every_operation_on_a_missing_bucket_throws_BucketNotFound()
    {
        const string missing = "sf-test-no-such-bucket";

        var put = await Assert.ThrowsAsync<BucketNotFoundException>(() => Store.PutTextAsync(missing, "a.csv", "x"));
        Assert.Equal(missing, put.Bucket);
        await Assert.ThrowsAsync<BucketNotFoundException>(() => Store.PutAsync(missing, "big.bin", new byte[9 * 1024 * 1024]));
        await Assert.ThrowsAsync<BucketNotFoundException>(() => Store.GetAsync(missing, "a.csv"));
        await Assert.ThrowsAsync<BucketNotFoundException>(() => Store.GetObjectInfoAsync(missing, "a.csv"));
        await Assert.ThrowsAsync<BucketNotFoundException>(() => Store.DeleteAsync(missing, "a.csv"));
        await Assert.ThrowsAsync<BucketNotFoundException>(() => ListKeysAsync(Store, "", missing));
    }

    [Fact]
    public async Task A_missing_key_reads_as_null()
    {
        await Store.PutTextAsync(Bucket, "raw/prices/symbol=A/1.csv", "x");

        Assert.Null(await Store.GetAsync(Bucket, "raw/prices/symbol=A/2.csv"));
        Assert.Null(await Store.GetObjectInfoAsync(Bucket, "raw/prices/symbol=A/2.csv"));
        Assert.Null(await Store.GetTextAsync(Bucket, "raw/prices/symbol=A"));
        Assert.Null(await Store.GetObjectInfoAsync(Bucket, "raw/prices/symbol=A"));
        Assert.Null(await Store.GetObjectInfoAsync(Bucket, "raw/prices/symbol=A/1.cs"));
        Assert.False(await Store.ExistsAsync(Bucket, "raw/prices"));
        Assert.True(await Store.ExistsAsync(Bucket, "raw/prices/symbol=A/1.csv"));
    }

    [Fact]
    public async Task A_large_object_goes_up_in_parts_and_comes_back_byte_exact()
    {
        var content = new byte[20 * 1024 * 1024 + 123];
        new Random(7).NextBytes(content);

        await Store.PutAsync(Bucket, "curated/daily_metrics/symbol=BIG/part-0.parquet", new ForwardOnlyStream(content));

        var back = await Store.GetBytesAsync(Bucket, "curated/daily_metrics/symbol=BIG/part-0.parquet");
        Assert.NotNull(back);
        Assert.Equal(content.Length, back.Length);
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(back));
        Assert.Equal(content.Length, (await Store.GetObjectInfoAsync(Bucket, "curated/daily_metrics/symbol=BIG/part-0.parquet"))!.Size);
    }

    [Theory]
    [InlineData("raw/prices/symbol=BRK-B/2024-01-02.csv")]
    [InlineData("landing/my prices (copy).csv")]
    [InlineData("landing/Zürich/日本株.csv")]
    [InlineData("landing/emoji-📈.csv")]
    [InlineData("results/exec=1+2/a&b;c,d@e~f'g!h$.csv")]
    [InlineData("results/100% sure/?#[].csv")]
    [InlineData(".hidden/.keep")]
    public async Task Keys_with_spaces_unicode_and_punctuation_round_trip_and_list_exactly(string key)
    {
        await Store.PutTextAsync(Bucket, key, key);

        Assert.Equal(key, await Store.GetTextAsync(Bucket, key));
        Assert.Equal([key], await ListKeysAsync(Store, ""));
        Assert.Equal([key], await ListKeysAsync(Store, key[..(key.Length / 2)]));
        Assert.True(await Store.ExistsAsync(Bucket, key));

        await Store.DeleteAsync(Bucket, key);
        Assert.Empty(await ListKeysAsync(Store, ""));
    }

    [Fact]
    public async Task Concurrent_puts_of_different_keys_all_land()
    {
        var keys = Enumerable.Range(0, 40).Select(i => $"raw/prices/symbol=S{i % 5}/{i:D2}.csv").ToList();

        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (key, ct) =>
            await Store.PutTextAsync(Bucket, key, $"content of {key}", ct));

        Assert.Equal(keys.Order(StringComparer.Ordinal), await ListKeysAsync(Store, "raw/"));
        foreach (var key in keys)
        {
            Assert.Equal($"content of {key}", await Store.GetTextAsync(Bucket, key));
        }
    }

    [Fact]
    public async Task Concurrent_overwrites_of_one_key_leave_one_complete_version()
    {
        var versions = Enumerable.Range(0, 12).Select(i => new string((char)('a' + i), 50_000 + i)).ToList();

        await Parallel.ForEachAsync(versions, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (text, ct) =>
            await Store.PutTextAsync(Bucket, "raw/prices/symbol=X/same.csv", text, ct));

        var final = await Store.GetTextAsync(Bucket, "raw/prices/symbol=X/same.csv");
        Assert.Contains(final, versions);
        Assert.Equal(["raw/prices/symbol=X/same.csv"], await ListKeysAsync(Store, ""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/raw/a.csv")]
    [InlineData("../outside.csv")]
    [InlineData("raw/../../outside.csv")]
    [InlineData("raw/./a.csv")]
    [InlineData("raw//a.csv")]
    [InlineData("raw/")]
    [InlineData("raw\\a.csv")]
    [InlineData("raw/a\u0000.csv")]
    [InlineData("raw/a\n.csv")]
    [InlineData("raw/x.sf-tmp")]
    public async Task Invalid_keys_are_refused_with_an_argument_error(string key)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.PutTextAsync(Bucket, key, "x"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.GetAsync(Bucket, key));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.DeleteAsync(Bucket, key));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.GetObjectInfoAsync(Bucket, key));
        Assert.Empty(await ListKeysAsync(Store, ""));
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("/raw")]
    [InlineData("raw//")]
    [InlineData("raw\\")]
    public async Task Invalid_prefixes_are_refused(string prefix)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => ListKeysAsync(Store, prefix));
    }

    [Theory]
    [InlineData("UPPER")]
    [InlineData("ab")]
    [InlineData("../lake")]
    [InlineData("a/b")]
    [InlineData("-dash")]
    public async Task Invalid_bucket_names_are_refused(string bucket)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.PutTextAsync(bucket, "a.csv", "x"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => ListKeysAsync(Store, "", bucket));
    }

    protected async Task<List<ObjectInfo>> ListAsync(IObjectStore store, string prefix, string? bucket = null)
    {
        var result = new List<ObjectInfo>();
        await foreach (var info in store.ListAsync(bucket ?? Bucket, prefix))
        {
            result.Add(info);
        }

        return result;
    }

    protected async Task<List<string>> ListKeysAsync(IObjectStore store, string prefix, string? bucket = null) =>
        (await ListAsync(store, prefix, bucket)).Select(o => o.Key).ToList();

    private async Task PutAllAsync(IObjectStore store, IEnumerable<string> keys) =>
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (key, ct) =>
            await store.PutTextAsync(Bucket, key, key, ct));
}
