using System.Text.Json;
using StockFlow.Functions.Hosting;
using StockFlow.Storage;

namespace StockFlow.Functions.Lake;

/// <summary>The last trading date stored for a symbol, so a daily run fetches only what is missing.</summary>
public sealed record Watermark(string Symbol, DateOnly LastDate, string Provider, DateTimeOffset UpdatedAt)
{
    public static async Task<Watermark?> ReadAsync(IObjectStore store, string bucket, string symbol, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var stream = await store.GetAsync(bucket, LakeKeys.Watermark(symbol), cancellationToken);
        if (stream is null)
        {
            return null;
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<Watermark>(stream, HandlerJson.Options, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The watermark {LakeKeys.Watermark(symbol)} is not valid JSON: {ex.Message}", ex);
        }
    }

    public async Task WriteAsync(IObjectStore store, string bucket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(this, HandlerJson.Options);
        using var content = new MemoryStream(bytes);
        await store.PutAsync(bucket, LakeKeys.Watermark(Symbol), content, cancellationToken);
    }
}
