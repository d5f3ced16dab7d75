using System.Text.Json;
using StockFlow.Core.Lake;
using StockFlow.Functions.Hosting;
using StockFlow.Storage;

namespace StockFlow.Functions.Lake;

/// <summary>The last trading date stored for a symbol, so a daily run fetches only what is missing.</summary>
public sealed record Watermark(DateOnly LastDate, string Provider, DateTimeOffset UpdatedAt);

/// <summary>
/// Every symbol's watermark in one object (<see cref="LakeKeys.Watermarks"/>): the plan of a 10,000-symbol run
/// reads one object instead of 10,000, and only the summarize step writes it (one run per lake at a time).
/// </summary>
public sealed class WatermarkBook
{
    private readonly SortedDictionary<string, Watermark> _symbols;

    private WatermarkBook(SortedDictionary<string, Watermark> symbols) => _symbols = symbols;

    /// <summary>Every symbol's watermark, ordered by symbol (ordinal).</summary>
    public IReadOnlyDictionary<string, Watermark> Symbols => _symbols;

    /// <summary>The symbol's watermark, or null for a symbol never ingested.</summary>
    public Watermark? Find(string symbol) => _symbols.GetValueOrDefault(symbol);

    /// <summary>Moves a symbol's watermark forward (never back: a backfill of old days keeps the newer date).</summary>
    public bool Advance(string symbol, Watermark watermark)
    {
        ArgumentNullException.ThrowIfNull(watermark);
        if (_symbols.TryGetValue(symbol, out var current) && current.LastDate >= watermark.LastDate)
        {
            return false;
        }

        _symbols[symbol] = watermark;
        return true;
    }

    /// <summary>Reads the lake's watermarks; an empty book when the lake has none yet.</summary>
    /// <exception cref="CorruptLakeObjectException">The object is not valid JSON (the message says deleting it is safe).</exception>
    public static async Task<WatermarkBook> ReadAsync(IObjectStore store, string bucket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var bytes = await store.GetBytesAsync(bucket, LakeKeys.Watermarks, cancellationToken);
        if (bytes is null)
        {
            return new WatermarkBook(new SortedDictionary<string, Watermark>(StringComparer.Ordinal));
        }

        try
        {
            var symbols = JsonSerializer.Deserialize(bytes, HandlerJson.TypeInfo<Dictionary<string, Watermark>>())
                ?? throw new JsonException("the document is null");
            return new WatermarkBook(new SortedDictionary<string, Watermark>(symbols, StringComparer.Ordinal));
        }
        catch (JsonException ex)
        {
            throw new CorruptLakeObjectException(
                $"The watermarks object {LakeKeys.Watermarks} is not valid JSON ({ex.Message}). Delete it to re-fetch each symbol's default history; nothing else is lost.", ex);
        }
    }

    /// <summary>Writes the whole book to <see cref="LakeKeys.Watermarks"/>.</summary>
    public Task WriteAsync(IObjectStore store, string bucket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.PutAsync(bucket, LakeKeys.Watermarks, JsonSerializer.SerializeToUtf8Bytes(_symbols, HandlerJson.TypeInfo<SortedDictionary<string, Watermark>>()), cancellationToken);
    }
}
