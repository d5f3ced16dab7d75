using Amazon.Runtime;

namespace StockFlow.Storage;

/// <summary>How <see cref="S3ObjectStore"/> reaches its S3 endpoint. The defaults talk to AWS with the standard credential chain.</summary>
public sealed class S3ObjectStoreOptions
{
    /// <summary>S3 multipart's smallest allowed part (except the last).</summary>
    public const int MinPartSizeBytes = 5 * 1024 * 1024;

    /// <summary>Endpoint of an S3-compatible server (e.g. "http://127.0.0.1:9000"); null for AWS.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>AWS region (e.g. "eu-west-1"); null takes it from the environment/profile (AWS) or uses "us-east-1" (custom endpoint).</summary>
    public string? Region { get; init; }

    /// <summary>Path-style URLs (http://host/bucket/key), needed by most S3-compatible servers.</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>Explicit credentials (tests, custom servers); null uses the standard AWS credential chain.</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>
    /// Send checksums and aws-chunked bodies only when an operation requires them. SDK v4's default
    /// (CRC32 trailers in aws-chunked bodies) is rejected or mis-stored by many S3-compatible
    /// servers. Null means: on for a custom <see cref="ServiceUrl"/>, off for AWS.
    /// </summary>
    public bool? ChecksumsOnlyWhenRequired { get; init; }

    /// <summary>Objects larger than this go up in parts of this size (S3 allows 5 MiB..5 GiB).</summary>
    public int PartSizeBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Keys asked for per ListObjectsV2 page (S3 returns at most 1000).</summary>
    public int ListPageSize { get; init; } = 1000;

    internal bool RelaxChecksums => ChecksumsOnlyWhenRequired ?? ServiceUrl is not null;

    internal void Validate()
    {
        if (PartSizeBytes < MinPartSizeBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(PartSizeBytes), PartSizeBytes, $"S3 parts must be at least {MinPartSizeBytes} bytes.");
        }

        if (ListPageSize is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(ListPageSize), ListPageSize, "A ListObjectsV2 page holds 1 to 1000 keys.");
        }

        if (ServiceUrl is not null && !Uri.TryCreate(ServiceUrl, UriKind.Absolute, out _))
        {
            throw new ArgumentException($"ServiceUrl '{ServiceUrl}' is not an absolute URL.", nameof(ServiceUrl));
        }
    }
}
