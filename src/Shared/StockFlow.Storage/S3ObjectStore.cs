using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace StockFlow.Storage;

/// <summary>
/// The lake on S3 (or an S3-compatible server). Large objects go up as multipart uploads,
/// listings follow continuation tokens, and S3's error codes become the interface's
/// contract: a missing bucket throws <see cref="BucketNotFoundException"/>, a missing key is null.
/// </summary>
public sealed class S3ObjectStore : IObjectStore, IDisposable
{
    private readonly IAmazonS3 client;
    private readonly bool ownsClient;
    private readonly S3ObjectStoreOptions options;

    /// <summary>A store over an S3 client made from <paramref name="options"/> (owned: disposed with the store).</summary>
    public S3ObjectStore(S3ObjectStoreOptions options)
        : this(CreateClient(options), options, ownsClient: true)
    {
    }

    /// <summary>Uses a client configured elsewhere; the caller keeps ownership of it.</summary>
    public S3ObjectStore(IAmazonS3 client, S3ObjectStoreOptions? options = null)
        : this(client, options ?? new S3ObjectStoreOptions(), ownsClient: false)
    {
    }

    private S3ObjectStore(IAmazonS3 client, S3ObjectStoreOptions options, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(client);
        options.Validate();
        this.client = client;
        this.options = options;
        this.ownsClient = ownsClient;
    }

    /// <summary>Builds the SDK client the options describe (also handy for tests and tools).</summary>
    public static IAmazonS3 CreateClient(S3ObjectStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var config = new AmazonS3Config { ForcePathStyle = options.ForcePathStyle };
        if (options.ServiceUrl is not null)
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (options.Region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        if (options.RelaxChecksums)
        {
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }

        return options.Credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(options.Credentials, config);
    }

    /// <summary>Creates the bucket unless it exists already (local runs and tests; on AWS, Pulumi owns buckets).</summary>
    public async Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken = default)
    {
        ObjectKey.ValidateBucket(bucket);
        try
        {
            await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
    }

    /// <inheritdoc/>
    public async Task PutAsync(string bucket, string key, Stream content, CancellationToken cancellationToken = default)
    {
        Validate(bucket, key);
        ArgumentNullException.ThrowIfNull(content);

        // Read up to one part: a small object goes up in one request, a large one in parts.
        // The part buffer is pooled: a run writes many small CSVs and a few large Parquet files.
        var rented = ArrayPool<byte>.Shared.Rent(options.PartSizeBytes);
        try
        {
            var buffer = rented.AsMemory(0, options.PartSizeBytes);
            var filled = await FillAsync(content, buffer, cancellationToken);
            await Translate(bucket, async () =>
            {
                if (filled < buffer.Length)
                {
                    await PutSingleAsync(bucket, key, rented, filled, cancellationToken);
                }
                else
                {
                    await PutMultipartAsync(bucket, key, content, rented, filled, cancellationToken);
                }
            });
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <inheritdoc/>
    public async Task<Stream?> GetAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        Validate(bucket, key);
        try
        {
            var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken);
            return new ResponseOwningStream(response.ResponseStream, response);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey")
        {
            return null;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
            throw new BucketNotFoundException(bucket, e);
        }
    }

    /// <inheritdoc/>
    public async Task<ObjectInfo?> GetObjectInfoAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        Validate(bucket, key);
        try
        {
            var response = await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken);
            return new ObjectInfo(key, response.ContentLength, ToOffset(response.LastModified));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // HEAD answers carry no error code: ask the bucket whether it is the bucket or the key that is missing.
            await RequireBucketAsync(bucket, cancellationToken);
            return null;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectKey.ValidateBucket(bucket);
        ObjectKey.ValidatePrefix(prefix);
        string? continuationToken = null;
        do
        {
            var request = new ListObjectsV2Request
            {
                BucketName = bucket,
                Prefix = prefix,
                MaxKeys = options.ListPageSize,
                ContinuationToken = continuationToken,
            };
            ListObjectsV2Response page;
            try
            {
                page = await client.ListObjectsV2Async(request, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
            {
                throw new BucketNotFoundException(bucket, e);
            }

            // SDK v4 leaves empty collections null.
            foreach (var item in page.S3Objects ?? [])
            {
                yield return new ObjectInfo(item.Key, item.Size ?? 0, ToOffset(item.LastModified));
            }

            continuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
            if (page.IsTruncated == true && string.IsNullOrEmpty(continuationToken))
            {
                throw new InvalidOperationException($"S3 listing of '{bucket}/{prefix}' was truncated without a continuation token.");
            }
        }
        while (continuationToken is not null);
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        Validate(bucket, key);
        await Translate(bucket, () => client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }, cancellationToken));
    }

    /// <inheritdoc/>
    public async Task<bool> PutIfAbsentAsync(string bucket, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        Validate(bucket, key);
        using var body = new MemoryStream(content.ToArray(), writable: false);
        var request = new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body, AutoCloseStream = false, IfNoneMatch = "*" };
        if (options.RelaxChecksums)
        {
            request.UseChunkEncoding = false;
        }

        try
        {
            await Translate(bucket, () => client.PutObjectAsync(request, cancellationToken));
            return true;
        }
        catch (AmazonS3Exception e) when (IsPreconditionFailure(e))
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task<TaggedObject?> GetTaggedAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        Validate(bucket, key);
        try
        {
            using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken);
            using var copy = new MemoryStream();
            await response.ResponseStream.CopyToAsync(copy, cancellationToken);
            return new TaggedObject(copy.ToArray(), response.ETag);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey")
        {
            return null;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
            throw new BucketNotFoundException(bucket, e);
        }
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteIfMatchAsync(string bucket, string key, string eTag, CancellationToken cancellationToken = default)
    {
        Validate(bucket, key);
        ArgumentException.ThrowIfNullOrEmpty(eTag);
        try
        {
            await Translate(bucket, () => client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key, IfMatch = eTag }, cancellationToken));
            return true;
        }
        catch (AmazonS3Exception e) when (IsPreconditionFailure(e) || e.ErrorCode == "NoSuchKey")
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (ownsClient)
        {
            client.Dispose();
        }
    }

    private async Task PutSingleAsync(string bucket, string key, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(buffer, 0, count, writable: false);
        var request = new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body, AutoCloseStream = false };
        if (options.RelaxChecksums)
        {
            request.UseChunkEncoding = false;
        }

        await client.PutObjectAsync(request, cancellationToken);
    }

    private async Task PutMultipartAsync(string bucket, string key, Stream content, byte[] buffer, int filled, CancellationToken cancellationToken)
    {
        var upload = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key }, cancellationToken);
        var parts = new List<PartETag>();
        try
        {
            for (var partNumber = 1; filled > 0; partNumber++)
            {
                using (var body = new MemoryStream(buffer, 0, filled, writable: false))
                {
                    var request = new UploadPartRequest
                    {
                        BucketName = bucket,
                        Key = key,
                        UploadId = upload.UploadId,
                        PartNumber = partNumber,
                        PartSize = filled,
                        InputStream = body,
                    };
                    if (options.RelaxChecksums)
                    {
                        request.UseChunkEncoding = false;
                    }

                    var part = await client.UploadPartAsync(request, cancellationToken);
                    parts.Add(new PartETag(partNumber, part.ETag));
                }

                filled = await FillAsync(content, buffer.AsMemory(0, options.PartSizeBytes), cancellationToken);
            }

            await client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId, PartETags = parts },
                cancellationToken);
        }
        catch
        {
            // An abandoned upload keeps its parts (and costs) until aborted.
            await client.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId },
                CancellationToken.None);
            throw;
        }
    }

    private async Task RequireBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        try
        {
            await client.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new BucketNotFoundException(bucket, e);
        }
    }

    private static async Task Translate(string bucket, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
            throw new BucketNotFoundException(bucket, e);
        }
    }

    private static async Task<int> FillAsync(Stream content, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await content.ReadAsync(buffer[filled..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    // 412 when the condition does not hold; 409 ConditionalRequestConflict when another conditional request on the key races.
    // S3 has been seen answering a failed precondition with status 200 and the PreconditionFailed code: the code decides.
    private static bool IsPreconditionFailure(AmazonS3Exception e) =>
        e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict
        || e.ErrorCode is "PreconditionFailed" or "ConditionalRequestConflict";

    private static void Validate(string bucket, string key)
    {
        ObjectKey.ValidateBucket(bucket);
        ObjectKey.Validate(key);
    }

    private static DateTimeOffset ToOffset(DateTime? time) =>
        time is { } t ? new DateTimeOffset(t.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.MinValue;
}
