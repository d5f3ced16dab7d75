using Amazon.Runtime;
using Amazon.S3;

namespace StockFlow.Storage.Tests;

[Collection(S3ServerCollection.Name)]
public sealed class S3ObjectStoreTests(S3ServerFixture server) : ObjectStoreComplianceTests
{
    protected override IObjectStore CreateStore(int listPageSize) => new S3ObjectStore(server.Options(listPageSize));

    protected override Task CreateBucketAsync(string bucket) => ((S3ObjectStore)Store).EnsureBucketAsync(bucket);

    [Theory]
    [InlineData(20 * 1024 * 1024, "InitiateMultipartUploadRequest,UploadPartRequest,UploadPartRequest,UploadPartRequest,CompleteMultipartUploadRequest")]
    [InlineData(16 * 1024 * 1024, "InitiateMultipartUploadRequest,UploadPartRequest,UploadPartRequest,CompleteMultipartUploadRequest")]
    [InlineData(8 * 1024 * 1024 - 1, "PutObjectRequest")]
    [InlineData(10, "PutObjectRequest")]
    public async Task Objects_above_one_part_go_up_as_multipart_uploads(int size, string expectedRequests)
    {
        var content = new byte[size];
        new Random(size).NextBytes(content);
        var requests = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var client = (AmazonS3Client)S3ObjectStore.CreateClient(server.Options());
        client.BeforeRequestEvent += (_, e) => requests.Enqueue(((WebServiceRequestEventArgs)e).Request.GetType().Name);
        using var store = new S3ObjectStore(client, server.Options());

        await store.PutAsync(Bucket, "obj.bin", new ForwardOnlyStream(content));

        Assert.Equal(expectedRequests, string.Join(',', requests));
        Assert.Equal(content, await Store.GetBytesAsync(Bucket, "obj.bin"));
    }

    [Fact]
    public async Task Ensure_bucket_is_idempotent()
    {
        await ((S3ObjectStore)Store).EnsureBucketAsync(Bucket);

        Assert.Empty(await ListKeysAsync(Store, ""));
    }

    [Fact]
    public void Options_refuse_parts_smaller_than_S3_allows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new S3ObjectStore(new S3ObjectStoreOptions { PartSizeBytes = 1024 * 1024 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new S3ObjectStore(new S3ObjectStoreOptions { ListPageSize = 1001 }));
        Assert.Throws<ArgumentException>(() => new S3ObjectStore(new S3ObjectStoreOptions { ServiceUrl = "not a url" }));
    }

    [Fact]
    public void The_server_listens_on_loopback()
    {
        Assert.True(server.Endpoint.IsLoopback);
    }
}
