using System.Runtime.CompilerServices;

namespace StockFlow.Storage;

/// <summary>
/// The local lake: bucket = folder <c>&lt;root&gt;/&lt;bucket&gt;/</c>, key = relative path, so
/// the files can be read directly (by DuckDB, an editor, <c>cp</c>). Writes go to a temp file in
/// the target folder and are renamed into place, so a killed process never leaves a
/// half-written object: readers see the old object or the new one, nothing in between.
/// </summary>
/// <remarks>
/// One limitation S3 does not have: a key cannot be both an object and a folder
/// ("a" and "a/b"); such a write fails with an <see cref="IOException"/> naming both.
/// </remarks>
public sealed class FileSystemObjectStore : IObjectStore
{
    private const int CopyBufferSize = 1 << 16;

    // A FileStream allocates its buffer per open; 64 KiB per object made every small read or write
    // allocate more than the object itself. Readers bring their own buffers (StreamReader, CopyTo).
    private const int ReadBufferSize = 4096;

    private static readonly EnumerationOptions ListAllFiles = new()
    {
        RecurseSubdirectories = true,
        // Keys may start with '.', which Unix reports as hidden.
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        ReturnSpecialDirectories = false,
    };

    private readonly string root;

    /// <summary>A store whose buckets are the folders under <paramref name="root"/> (made absolute).</summary>
    public FileSystemObjectStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        this.root = Path.GetFullPath(root);
    }

    /// <summary>The absolute folder holding one folder per bucket.</summary>
    public string Root => root;

    /// <summary>Creates the bucket folder if it is missing (local runs and tests).</summary>
    public Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken = default)
    {
        ObjectKey.ValidateBucket(bucket);
        cancellationToken.ThrowIfCancellationRequested();
        Directory.CreateDirectory(BucketPath(bucket));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task PutAsync(string bucket, string key, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var target = ObjectPath(bucket, key);
        var bucketPath = RequireBucket(bucket);
        var folder = Path.GetDirectoryName(target)!;
        var temp = Path.Combine(folder, $".{Guid.NewGuid():N}{ObjectKey.TempFileSuffix}");
        var tempFile = CreateTempFile(bucketPath, folder, temp, key);
        try
        {
            var deferred = DeferredWrites.Current is { } batch && ReferenceEquals(batch.Store, this) ? batch : null;
            await using (var file = tempFile)
            {
                await content.CopyToAsync(file, CopyBufferSize, cancellationToken);
                await file.FlushAsync(cancellationToken);
                if (deferred is null)
                {
                    // Data on disk before the rename makes it visible, so a power cut cannot expose an empty file.
                    file.Flush(flushToDisk: true);
                }
            }

            MoveIntoPlace(temp, target, key);
            deferred?.Add(target);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Defers the flush to disk of the writes this async flow makes until <see cref="DeferredWrites.CompleteAsync"/>, which
    /// flushes them all at once. One function invocation writes hundreds of small objects (an ingest batch: a raw file
    /// and a digest per symbol); an fsync each, one after the other, waits for one journal commit each, while flushed
    /// together they share commits. Objects stay atomic (written aside, renamed into place); what the scope changes is
    /// only when they are on disk, and the caller completes the scope before it reports the work done.
    /// </summary>
    public DeferredWrites DeferDurability() => DeferredWrites.Begin(this);

    /// <inheritdoc/>
    public Task<Stream?> GetAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var path = ObjectPath(bucket, key);
        cancellationToken.ThrowIfCancellationRequested();
        if (!File.Exists(path))
        {
            // The common miss (a first ingest asks for every yearly file) without an exception.
            RequireBucket(bucket);
            return Task.FromResult<Stream?>(null);
        }

        try
        {
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, ReadBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException && !File.Exists(path))
        {
            // A folder at the key's path (key "raw" when "raw/x" exists) is not an object either.
            RequireBucket(bucket);
            return Task.FromResult<Stream?>(null);
        }
    }

    /// <inheritdoc/>
    public Task<ObjectInfo?> GetObjectInfoAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var path = ObjectPath(bucket, key);
        cancellationToken.ThrowIfCancellationRequested();
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            RequireBucket(bucket);
            return Task.FromResult<ObjectInfo?>(null);
        }

        return Task.FromResult<ObjectInfo?>(new ObjectInfo(key, file.Length, new DateTimeOffset(file.LastWriteTimeUtc)));
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectKey.ValidateBucket(bucket);
        ObjectKey.ValidatePrefix(prefix);
        var bucketPath = RequireBucket(bucket);

        // Only the folder named by the prefix's complete segments can hold matches.
        var lastSlash = prefix.LastIndexOf('/');
        var start = lastSlash < 0 ? bucketPath : Path.Combine(bucketPath, prefix[..lastSlash]);
        if (!Directory.Exists(start))
        {
            yield break;
        }

        var matches = new List<(string Key, FileInfo File)>();
        foreach (var file in new DirectoryInfo(start).EnumerateFiles("*", ListAllFiles))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.Name.EndsWith(ObjectKey.TempFileSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            var key = Path.GetRelativePath(bucketPath, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                matches.Add((key, file));
            }
        }

        matches.Sort((a, b) => Utf8KeyComparer.Instance.Compare(a.Key, b.Key));
        foreach (var (key, file) in matches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            file.Refresh();
            if (!file.Exists)
            {
                continue; // deleted since the folder was read
            }

            yield return new ObjectInfo(key, file.Length, new DateTimeOffset(file.LastWriteTimeUtc));
            await Task.Yield();
        }
    }

    /// <inheritdoc/>
    public Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var path = ObjectPath(bucket, key);
        var bucketPath = RequireBucket(bucket);
        cancellationToken.ThrowIfCancellationRequested();
        if (!File.Exists(path))
        {
            return Task.CompletedTask;
        }

        File.Delete(path);
        RemoveEmptyFolders(bucketPath, Path.GetDirectoryName(path)!);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task<bool> PutIfAbsentAsync(string bucket, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var path = ObjectPath(bucket, key);
        RequireBucket(bucket);
        using var exclusive = await ConditionalGate.EnterAsync(GatePath(bucket), cancellationToken);
        if (File.Exists(path))
        {
            return false;
        }

        await this.PutAsync(bucket, key, content, cancellationToken);
        return true;
    }

    /// <inheritdoc/>
    public async Task<TaggedObject?> GetTaggedAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var bytes = await this.GetBytesAsync(bucket, key, cancellationToken);
        return bytes is null ? null : new TaggedObject(bytes, ETagOf(bytes));
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteIfMatchAsync(string bucket, string key, string eTag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eTag);
        ObjectPath(bucket, key);
        RequireBucket(bucket);
        using var exclusive = await ConditionalGate.EnterAsync(GatePath(bucket), cancellationToken);
        var current = await GetTaggedAsync(bucket, key, cancellationToken);
        if (current is null || !string.Equals(current.ETag, eTag, StringComparison.Ordinal))
        {
            return false;
        }

        await DeleteAsync(bucket, key, cancellationToken);
        return true;
    }

    /// <summary>A content hash in quotes, shaped like S3's ETag; it changes whenever the content does.</summary>
    public static string ETagOf(ReadOnlySpan<byte> content) =>
        "\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content))[..32] + "\"";

    // Conditional writes of one bucket are serialized across processes by an OS file lock beside the bucket folder
    // (outside every key), so check-then-write is atomic as S3's conditional requests are.
    private string GatePath(string bucket) => Path.Combine(root, $".{bucket}.conditional.lock");

    private string BucketPath(string bucket) => Path.Combine(root, bucket);

    private string ObjectPath(string bucket, string key)
    {
        ObjectKey.ValidateBucket(bucket);
        ObjectKey.Validate(key);
        var bucketPath = BucketPath(bucket);
        var path = Path.GetFullPath(Path.Combine(bucketPath, key.Replace('/', Path.DirectorySeparatorChar)));

        // Defence in depth: validation already rules this out.
        if (!path.StartsWith(bucketPath + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Key '{key}' resolves outside bucket '{bucket}'.", nameof(key));
        }

        return path;
    }

    private string RequireBucket(string bucket)
    {
        var bucketPath = BucketPath(bucket);
        if (!Directory.Exists(bucketPath))
        {
            throw new BucketNotFoundException(bucket);
        }

        return bucketPath;
    }

    private static FileStream CreateTempFile(string bucketPath, string folder, string temp, string key)
    {
        // A concurrent delete may remove the (then empty) folder between creating it and opening the file: try again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (IOException e)
            {
                throw new IOException($"Cannot write '{key}': {ObjectAlongPath(bucketPath, folder)} is an object, and the local lake cannot hold a key that is also a folder.", e);
            }

            try
            {
                // Unbuffered: CopyToAsync already writes whole 64 KiB chunks.
                return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
            }
            catch (DirectoryNotFoundException) when (attempt < 5)
            {
            }
        }
    }

    private static void MoveIntoPlace(string temp, string target, string key)
    {
        if (Directory.Exists(target))
        {
            throw new IOException($"Cannot write '{key}': it is a folder of other keys ('{key}/...'), and the local lake cannot hold a key that is also a folder.");
        }

        // rename(2) replaces the target atomically.
        File.Move(temp, target, overwrite: true);
    }

    private static string ObjectAlongPath(string bucketPath, string folder)
    {
        for (var current = folder; current.Length > bucketPath.Length; current = Path.GetDirectoryName(current)!)
        {
            if (File.Exists(current))
            {
                return $"'{Path.GetRelativePath(bucketPath, current).Replace(Path.DirectorySeparatorChar, '/')}'";
            }
        }

        return "a part of its path";
    }

    // S3 has no folders: once a folder's last object is gone, the folder goes too, so the key can later become an object.
    private static void RemoveEmptyFolders(string bucketPath, string folder)
    {
        for (var current = folder; current.Length > bucketPath.Length; current = Path.GetDirectoryName(current)!)
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(current).Any())
                {
                    return;
                }

                Directory.Delete(current);
            }
            catch (IOException)
            {
                return; // another writer just used it
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }
        }
    }

    /// <summary>An exclusive lock on a file, shared by every process and thread that opens it, waited for in short steps.</summary>
    private static class ConditionalGate
    {
        public static async Task<FileStream> EnterAsync(string path, CancellationToken cancellationToken)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                try
                {
                    return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(10, cancellationToken);
                }
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>
/// Writes of one <see cref="FileSystemObjectStore"/> on one async flow whose flush to disk waits for
/// <see cref="CompleteAsync"/> (see <see cref="FileSystemObjectStore.DeferDurability"/>). Disposing ends the scope.
/// </summary>
public sealed class DeferredWrites : IDisposable
{
    // At most this many fsyncs in flight: enough for the file system to group them into few journal commits.
    private const int ParallelFlushes = 16;

    private static readonly AsyncLocal<DeferredWrites?> Scope = new();

    private readonly DeferredWrites? outer;
    private readonly List<string> paths = [];
    private readonly Lock gate = new();

    private DeferredWrites(FileSystemObjectStore store, DeferredWrites? outer)
    {
        Store = store;
        this.outer = outer;
    }

    /// <summary>The store whose writes this scope defers.</summary>
    public FileSystemObjectStore Store { get; }

    internal static DeferredWrites? Current => Scope.Value;

    /// <summary>How many writes wait for <see cref="CompleteAsync"/>.</summary>
    internal int Pending
    {
        get
        {
            lock (gate)
            {
                return paths.Count;
            }
        }
    }

    /// <summary>Flushes every object written in the scope so far to disk (an object replaced since is flushed as it is now).</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        string[] pending;
        lock (gate)
        {
            pending = paths.Distinct(StringComparer.Ordinal).ToArray();
            paths.Clear();
        }

        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = ParallelFlushes, CancellationToken = cancellationToken }, (path, _) =>
        {
            try
            {
                using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
                RandomAccess.FlushToDisk(handle);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // Deleted since it was written: nothing of it to keep.
            }

            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Ends the scope; writes after it are flushed one by one again.</summary>
    public void Dispose() => Scope.Value = outer;

    internal static DeferredWrites Begin(FileSystemObjectStore store)
    {
        var scope = new DeferredWrites(store, Scope.Value);
        Scope.Value = scope;
        return scope;
    }

    internal void Add(string path)
    {
        lock (gate)
        {
            paths.Add(path);
        }
    }
}
