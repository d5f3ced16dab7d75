using System.Text;

namespace StockFlow.Storage.Tests;

public sealed class FileSystemObjectStoreTests : ObjectStoreComplianceTests
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"stockflow-lake-{Guid.NewGuid():N}");

    private string BucketFolder => Path.Combine(root, Bucket);

    protected override IObjectStore CreateStore(int listPageSize) => new FileSystemObjectStore(root);

    protected override Task CreateBucketAsync(string bucket) => new FileSystemObjectStore(root).EnsureBucketAsync(bucket);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Writes_in_a_deferred_durability_scope_are_visible_at_once_and_flushed_together()
    {
        var store = new FileSystemObjectStore(root);
        var other = new FileSystemObjectStore(root);
        using (var scope = store.DeferDurability())
        {
            await store.PutTextAsync(Bucket, "a/1.csv", "one");
            await store.PutTextAsync(Bucket, "a/2.csv", "two");
            await store.PutTextAsync(Bucket, "a/2.csv", "two again");
            // Another store's writes are flushed as they are made: the scope is not theirs to complete.
            await other.PutTextAsync(Bucket, "b/3.csv", "three");

            Assert.Equal("two again", await store.GetTextAsync(Bucket, "a/2.csv"));
            Assert.Equal(3, scope.Pending);

            // An object deleted before the flush has nothing left to flush.
            await store.DeleteAsync(Bucket, "a/1.csv");
            await scope.CompleteAsync();
            Assert.Equal(0, scope.Pending);
        }

        Assert.Null(DeferredWrites.Current);
        Assert.Equal("two again", await store.GetTextAsync(Bucket, "a/2.csv"));
    }

    [Fact]
    public async Task A_deferred_durability_scope_covers_its_own_async_flow_only()
    {
        var store = new FileSystemObjectStore(root);
        await store.EnsureBucketAsync(Bucket);
        using var scope = store.DeferDurability();
        await Task.Run(async () =>
        {
            // A flow started inside the scope shares it.
            await store.PutTextAsync(Bucket, "inner.csv", "x");
        });

        Assert.Equal(1, scope.Pending);
        scope.Dispose();
        await store.PutTextAsync(Bucket, "after.csv", "y");
        Assert.Equal(1, scope.Pending);
    }

    [Fact]
    public async Task Keys_are_plain_files_under_the_bucket_folder()
    {
        await Store.PutTextAsync(Bucket, "raw/prices/symbol=BRK-B/2024.csv", "Date,Open\n");

        var path = Path.Combine(BucketFolder, "raw", "prices", "symbol=BRK-B", "2024.csv");
        Assert.Equal("Date,Open\n", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Files_copied_into_the_bucket_folder_are_objects()
    {
        Directory.CreateDirectory(Path.Combine(BucketFolder, "landing"));
        await File.WriteAllTextAsync(Path.Combine(BucketFolder, "landing", "AAPL.csv"), "dropped by hand");

        Assert.Equal(["landing/AAPL.csv"], await ListKeysAsync(Store, "landing/"));
        Assert.Equal("dropped by hand", await Store.GetTextAsync(Bucket, "landing/AAPL.csv"));
    }

    [Theory]
    [InlineData("../escaped.csv")]
    [InlineData("raw/../../escaped.csv")]
    [InlineData("/tmp/escaped.csv")]
    [InlineData("..\\escaped.csv")]
    [InlineData("raw/..")]
    public async Task Keys_that_try_to_leave_the_bucket_are_refused_and_write_nothing(string key)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.PutTextAsync(Bucket, key, "x"));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Equal([BucketFolder], Directory.GetFileSystemEntries(root));
        Assert.Empty(Directory.GetFileSystemEntries(BucketFolder));
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "escaped.csv")));
    }

    [Fact]
    public async Task A_bucket_name_cannot_leave_the_root()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => new FileSystemObjectStore(root).EnsureBucketAsync(".."));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.PutTextAsync("..", "x.csv", "x"));
    }

    [Fact]
    public async Task A_source_that_fails_mid_write_leaves_the_previous_version_and_no_temp_file()
    {
        await Store.PutTextAsync(Bucket, "raw/prices/symbol=A/a.csv", "old complete version");

        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync(Bucket, "raw/prices/symbol=A/a.csv", new FailingStream(bytesBeforeFailure: 200_000)));

        Assert.Equal("old complete version", await Store.GetTextAsync(Bucket, "raw/prices/symbol=A/a.csv"));
        Assert.Equal(["a.csv"], Directory.GetFiles(Path.Combine(BucketFolder, "raw", "prices", "symbol=A")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task While_a_write_is_in_flight_readers_see_only_the_old_object()
    {
        // What a killed process leaves is exactly the state at the moment it died: this test
        // freezes a write half-way and checks that state.
        await Store.PutTextAsync(Bucket, "raw/prices/symbol=A/a.csv", "old");
        var source = new PausingStream(new byte[300_000], pauseAfter: 150_000);
        using var cancel = new CancellationTokenSource();
        var write = Store.PutAsync(Bucket, "raw/prices/symbol=A/a.csv", source, cancel.Token);
        await source.Paused.WaitAsync(TimeSpan.FromSeconds(10));

        var folder = Path.Combine(BucketFolder, "raw", "prices", "symbol=A");
        var temp = Assert.Single(Directory.GetFiles(folder, "*" + ObjectKey.TempFileSuffix));
        Assert.True(new FileInfo(temp).Length > 0);
        Assert.Equal("old", await Store.GetTextAsync(Bucket, "raw/prices/symbol=A/a.csv"));
        var listed = Assert.Single(await ListAsync(Store, ""));
        Assert.Equal(("raw/prices/symbol=A/a.csv", 3L), (listed.Key, listed.Size));

        await cancel.CancelAsync();
        source.Resume();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        Assert.Equal(["a.csv"], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Equal("old", await Store.GetTextAsync(Bucket, "raw/prices/symbol=A/a.csv"));
    }

    [Fact]
    public async Task A_temp_file_left_by_a_killed_process_is_not_an_object()
    {
        var folder = Path.Combine(BucketFolder, "raw", "prices", "symbol=A");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, $".{Guid.NewGuid():N}{ObjectKey.TempFileSuffix}"), "half a fi");

        Assert.Empty(await ListKeysAsync(Store, ""));
        Assert.Null(await Store.GetAsync(Bucket, "raw/prices/symbol=A/a.csv"));

        await Store.PutTextAsync(Bucket, "raw/prices/symbol=A/a.csv", "whole");
        Assert.Equal(["raw/prices/symbol=A/a.csv"], await ListKeysAsync(Store, ""));
    }

    [Fact]
    public async Task A_key_that_is_also_a_folder_is_refused_with_a_clear_error()
    {
        await Store.PutTextAsync(Bucket, "results/e1", "object");
        var below = await Assert.ThrowsAsync<IOException>(() => Store.PutTextAsync(Bucket, "results/e1/q.csv", "x"));
        Assert.Contains("'results/e1' is an object", below.Message, StringComparison.Ordinal);

        await Store.PutTextAsync(Bucket, "reports/e2/index.html", "x");
        var above = await Assert.ThrowsAsync<IOException>(() => Store.PutTextAsync(Bucket, "reports/e2", "x"));
        Assert.Contains("folder of other keys", above.Message, StringComparison.Ordinal);

        Assert.Equal(["reports/e2/index.html", "results/e1"], await ListKeysAsync(Store, ""));
    }

    [Fact]
    public async Task Delete_removes_folders_it_empties_but_keeps_the_bucket()
    {
        await Store.PutTextAsync(Bucket, "a/b/c/d.csv", "x");

        await Store.DeleteAsync(Bucket, "a/b/c/d.csv");

        Assert.True(Directory.Exists(BucketFolder));
        Assert.Empty(Directory.GetFileSystemEntries(BucketFolder));
    }

    [Fact]
    public async Task Listing_orders_by_utf8_bytes_like_S3()
    {
        // U+FF5E sorts after U+1F4C8 in UTF-16 ordinal order but before it in UTF-8 byte order.
        await Store.PutTextAsync(Bucket, "k/\uFF5E.csv", "x");
        await Store.PutTextAsync(Bucket, "k/📈.csv", "x");

        Assert.Equal(["k/\uFF5E.csv", "k/📈.csv"], await ListKeysAsync(Store, "k/"));
    }

    private sealed class FailingStream(int bytesBeforeFailure) : Stream
    {
        private int sent;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (sent >= bytesBeforeFailure)
            {
                throw new IOException("network connection lost");
            }

            var n = Math.Min(count, bytesBeforeFailure - sent);
            buffer.AsSpan(offset, n).Fill((byte)'x');
            sent += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class PausingStream(byte[] content, int pauseAfter) : Stream
    {
        private readonly TaskCompletionSource resume = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly SemaphoreSlim paused = new(0);
        private int position;

        public SemaphoreSlim Paused => paused;

        public void Resume() => resume.TrySetResult();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (position == pauseAfter)
            {
                paused.Release();
                await resume.Task;
                cancellationToken.ThrowIfCancellationRequested();
            }

            var limit = position < pauseAfter ? pauseAfter : content.Length;
            var n = Math.Min(buffer.Length, limit - position);
            content.AsMemory(position, n).CopyTo(buffer);
            position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                paused.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
