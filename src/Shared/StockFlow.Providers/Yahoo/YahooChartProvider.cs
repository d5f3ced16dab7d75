using System.Collections.Concurrent;
using System.Globalization;
using NodaTime;
using Polly.Timeout;

namespace StockFlow.Providers.Yahoo;

/// <summary>
/// Daily prices from Yahoo's v8 chart API (docs/providers.md, "Yahoo Finance chart API"). period1/period2 are local midnights in the
/// exchange zone (remembered per symbol from earlier answers; New York until known), widened by two days on
/// each side so a wrong guess of the zone cannot lose a bar; the rows are then filtered to the exact dates.
/// </summary>
public sealed class YahooChartProvider(HttpClient http, TimeProvider? timeProvider = null, int priceDecimals = 6) : IPriceProvider
{
    private const string DefaultZone = "America/New_York";
    private const int OverFetchDays = 2;
    private static readonly ConcurrentDictionary<string, string> KnownZones = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock = timeProvider ?? TimeProvider.System;

    /// <summary><see cref="PriceProviders.Yahoo"/>.</summary>
    public string Name => PriceProviders.Yahoo;

    /// <inheritdoc/>
    /// <remarks>
    /// Bars of a session that has not closed yet (by the exchange's clock) are left out and counted in
    /// <see cref="ProviderResult.DroppedLiveBars"/>; all-null bars in <see cref="ProviderResult.DroppedEmptyBars"/>.
    /// Only dates inside the range are returned. Prices are rounded to <c>priceDecimals</c> (default 6) to drop Yahoo's float32 noise.
    /// HTTP 404 or the error code "Not Found" is <see cref="SymbolNotFoundException"/>; 429 <see cref="ProviderThrottledException"/>;
    /// 5xx or an unreachable host <see cref="ProviderUnavailableException"/>.
    /// </remarks>
    public async Task<ProviderResult> FetchAsync(PriceRequest request, CancellationToken ct)
    {
        var symbol = RequestChecks.Validate(request);
        var zone = YahooTradingDates.Zone(symbol, KnownZones.GetValueOrDefault(symbol, DefaultZone));
        var period1 = YahooTradingDates.StartOfDay(request.From.AddDays(-OverFetchDays), zone);
        var period2 = YahooTradingDates.StartOfDay(request.To.AddDays(1 + OverFetchDays), zone);
        var path = string.Create(CultureInfo.InvariantCulture,
            $"v8/finance/chart/{Uri.EscapeDataString(symbol)}?period1={period1}&period2={period2}&interval=1d&events=div%2Csplits&includeAdjustedClose=true");

        var (status, body, retryAfter) = await SendAsync(symbol, path, ct);
        var chart = YahooChartParser.Parse(symbol, status, body, retryAfter);
        if (chart.ExchangeTimeZone is { Length: > 0 } known)
            KnownZones[symbol] = known;
        var now = Instant.FromDateTimeOffset(_clock.GetUtcNow());
        return YahooRowBuilder.Build(symbol, chart, request.From, request.To, now, priceDecimals);
    }

    private async Task<(int Status, string Body, TimeSpan? RetryAfter)> SendAsync(string symbol, string path, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync(path, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return ((int)response.StatusCode, body, Http.ProviderHttpClients.RetryAfter(response));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or TaskCanceledException or IOException)
        {
            throw new ProviderUnavailableException(symbol, $"Yahoo could not be reached for '{symbol}': {e.Message}", e);
        }
    }
}
