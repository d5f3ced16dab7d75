using StockFlow.Storage;

namespace StockFlow.Runtime.Local;

/// <summary>
/// The folder a local StockFlow keeps everything in (default <c>./.stockflow</c>): the lake
/// (one folder per bucket), the catalog, the execution history and the notifications log.
/// </summary>
public sealed class DataDirectory
{
    /// <summary>The data directory when none is given, relative to the working directory.</summary>
    public const string DefaultPath = ".stockflow";
    /// <summary>The lake bucket's name when none is given (the folder under <see cref="LakeRoot"/>).</summary>
    public const string DefaultBucket = "stockflow-lake";

    /// <summary>Names the folder; nothing is created until <see cref="EnsureCreated"/>.</summary>
    /// <param name="path">The folder; null or blank means <see cref="DefaultPath"/>.</param>
    /// <param name="bucket">The lake bucket; default <see cref="DefaultBucket"/>.</param>
    /// <exception cref="DataDirectoryException"><paramref name="path"/> is a file.</exception>
    public DataDirectory(string? path = null, string bucket = DefaultBucket)
    {
        Root = Path.GetFullPath(string.IsNullOrWhiteSpace(path) ? DefaultPath : path);
        Bucket = bucket;
        if (File.Exists(Root))
        {
            throw new DataDirectoryException(
                $"The data directory '{Root}' is a file, not a folder. Pass --data-dir with a folder (it is created when missing).");
        }
    }

    /// <summary>The folder's full path.</summary>
    public string Root { get; }

    /// <summary>The bucket the pipeline's lake keys live in.</summary>
    public string Bucket { get; }

    /// <summary>The folder that plays S3: <c>&lt;root&gt;/lake</c>, one subfolder per bucket.</summary>
    public string LakeRoot => Path.Combine(Root, "lake");

    /// <summary>The bucket's folder: keys are paths below it.</summary>
    public string BucketRoot => Path.Combine(LakeRoot, Bucket);

    /// <summary>The local Glue Data Catalog (tables the crawler found, crawler state): <c>&lt;root&gt;/catalog</c>.</summary>
    public string CatalogDirectory => Path.Combine(Root, "catalog");

    /// <summary>The execution history (see <see cref="Executions.ExecutionStore"/>): <c>&lt;root&gt;/executions.db</c>.</summary>
    public string ExecutionsDatabase => Path.Combine(Root, "executions.db");

    /// <summary>Where the local <c>sns:publish</c> appends messages, one JSON object a line: <c>&lt;root&gt;/notifications.jsonl</c>.</summary>
    public string NotificationsLog => Path.Combine(Root, "notifications.jsonl");

    /// <summary>Where DuckDB spills when a query outgrows its memory limit: <c>&lt;root&gt;/tmp</c>.</summary>
    public string DuckDbTempDirectory => Path.Combine(Root, "tmp");

    /// <summary>Creates the folders a run writes into.</summary>
    /// <exception cref="DataDirectoryException">A part of the path is a file, or the folder cannot be created.</exception>
    public DataDirectory EnsureCreated()
    {
        try
        {
            Directory.CreateDirectory(BucketRoot);
            Directory.CreateDirectory(CatalogDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataDirectoryException(
                $"Cannot create the data directory '{Root}' ({e.Message}). Pass --data-dir with a folder you can write.", e);
        }

        return this;
    }

    /// <summary>Whether the folder holds an execution history (read-only commands must not create one).</summary>
    public bool HasExecutionHistory => File.Exists(ExecutionsDatabase);

    /// <summary>The local path of an object key in the lake bucket.</summary>
    public string PathOf(string key) =>
        Path.Combine(BucketRoot, key.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>
    /// Maps an <c>s3://bucket/key</c> URI to its local path (the bucket's folder under <see cref="LakeRoot"/>),
    /// refusing keys that would leave that folder.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="uri"/> is not an S3 URI or points outside the lake.</exception>
    public string PathOfS3Uri(string uri)
    {
        if (!S3Uri.TryParse(uri, out var bucket, out var key))
        {
            throw new ArgumentException($"'{uri}' is not an s3://bucket/key URI.", nameof(uri));
        }

        var bucketRoot = Path.GetFullPath(Path.Combine(LakeRoot, bucket));
        var full = Path.GetFullPath(Path.Combine(bucketRoot, key.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(bucketRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal) && full != bucketRoot)
        {
            throw new ArgumentException($"'{uri}' points outside the local lake.", nameof(uri));
        }

        return full;
    }
}
