using System.Text;
using StockFlow.Core.Csv;
using StockFlow.Core.Lake;
using StockFlow.Csv;
using StockFlow.Storage;

namespace StockFlow.Providers;

/// <summary>
/// Reads user-dropped files <c>landing/&lt;SYMBOL&gt;.csv</c> (Yahoo download format) from a bucket. A missing
/// file means the symbol is unknown here; rows outside the requested range are left out.
/// </summary>
public sealed class LandingCsvProvider(IObjectStore store, string bucket) : IPriceProvider
{
    /// <summary><see cref="PriceProviders.Csv"/>.</summary>
    public string Name => PriceProviders.Csv;

    /// <inheritdoc/>
    /// <exception cref="SymbolNotFoundException">There is no landing file for the symbol.</exception>
    /// <exception cref="InvalidProviderResponseException">The landing file is not a price CSV (bad header or quoting).</exception>
    public async Task<ProviderResult> FetchAsync(PriceRequest request, CancellationToken ct)
    {
        var symbol = RequestChecks.Validate(request);
        var key = LakeKeys.Landing(symbol);
        var stream = await store.GetAsync(bucket, key, ct)
            ?? throw new SymbolNotFoundException(symbol, $"No landing file for '{symbol}': s3://{bucket}/{key} does not exist.");
        await using (stream)
        {
            // Parsed line by line from the stream: a whole-file string of a long history lands on the
            // large object heap once per symbol and makes the garbage collector run full collections.
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 4096);
            try
            {
                var rows = PriceCsvReader.Read(reader, key);
                return new ProviderResult(symbol, RequestChecks.FromRangeStart(rows, request.From), ProviderMetadata.Unknown, []);
            }
            catch (CsvFormatException e)
            {
                throw new InvalidProviderResponseException(symbol, $"The landing file s3://{bucket}/{key} is not a price CSV: {e.Message}", e);
            }
        }
    }
}
