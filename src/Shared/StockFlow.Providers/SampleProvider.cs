using System.Globalization;
using StockFlow.Core.Csv;
using StockFlow.Core.Prices;
using StockFlow.Core.Sample;

namespace StockFlow.Providers;

/// <summary>The offline default: synthetic bars from <see cref="SampleMarket"/>, marked <see cref="ProviderMetadata.IsSynthetic"/>.</summary>
public sealed class SampleProvider : IPriceProvider
{
    /// <summary>What every sample series reports: a US equity in dollars, flagged synthetic.</summary>
    public static readonly ProviderMetadata Metadata = new("USD", "America/New_York", "EQUITY", IsSynthetic: true);

    /// <summary><see cref="PriceProviders.Sample"/>.</summary>
    public string Name => PriceProviders.Sample;

    /// <summary>Generated bars for every weekday of the range (the same symbol and range always give the same bars) and the series' dividends; never fails for a valid request.</summary>
    public Task<ProviderResult> FetchAsync(PriceRequest request, CancellationToken ct)
    {
        var symbol = RequestChecks.Validate(request);
        ct.ThrowIfCancellationRequested();
        var series = SampleMarket.GenerateSeries(symbol, request.From, request.To);
        var rows = series.Bars.Select((bar, i) => ToRow(symbol, i, bar)).ToList();
        return Task.FromResult(new ProviderResult(symbol, rows, Metadata, series.Dividends));
    }

    private static RawPriceRow ToRow(string symbol, int index, DailyBar bar) => new(
        $"{SampleMarket.Label}:{symbol}#{index}",
        RequestChecks.Iso(bar.Date),
        PriceCsvWriter.FormatNumber(bar.Open),
        PriceCsvWriter.FormatNumber(bar.High),
        PriceCsvWriter.FormatNumber(bar.Low),
        PriceCsvWriter.FormatNumber(bar.Close),
        bar.AdjClose is { } adj ? PriceCsvWriter.FormatNumber(adj) : string.Empty,
        bar.Volume.ToString(CultureInfo.InvariantCulture));
}
