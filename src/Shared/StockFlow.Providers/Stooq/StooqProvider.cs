using System.Globalization;
using Polly.Timeout;
using StockFlow.Providers.Http;

namespace StockFlow.Providers.Stooq;

/// <summary>
/// Daily prices from Stooq's CSV endpoint (<c>/q/d/l/?s=aapl.us&amp;i=d&amp;d1=yyyyMMdd&amp;d2=yyyyMMdd</c>), an optional
/// fallback: it has no adjusted close (rows carry an empty Adj Close, i.e. adj_close = close), indices may lack
/// volume, and since 2026 it wants an API key.
/// </summary>
public sealed class StooqProvider(HttpClient http, string? apiKey = null) : IPriceProvider
{
    /// <summary><see cref="PriceProviders.Stooq"/>.</summary>
    public string Name => PriceProviders.Stooq;

    /// <inheritdoc/>
    /// <remarks>
    /// Stooq answers failures with HTTP 200 and a non-CSV body: "No data" is <see cref="SymbolNotFoundException"/>, the daily
    /// hits limit <see cref="ProviderThrottledException"/>, an HTML page (API key request, anti-bot check) or an unreachable
    /// host <see cref="ProviderUnavailableException"/>, any other body <see cref="InvalidProviderResponseException"/>.
    /// </remarks>
    public async Task<ProviderResult> FetchAsync(PriceRequest request, CancellationToken ct)
    {
        var symbol = RequestChecks.Validate(request);
        var stooqSymbol = StooqSymbolMapper.ToStooq(symbol);
        var path = string.Create(CultureInfo.InvariantCulture,
            $"q/d/l/?s={Uri.EscapeDataString(stooqSymbol)}&i=d&d1={request.From:yyyyMMdd}&d2={request.To:yyyyMMdd}");
        if (!string.IsNullOrEmpty(apiKey))
            path += "&apikey=" + Uri.EscapeDataString(apiKey);

        int status;
        string body;
        TimeSpan? retryAfter;
        try
        {
            using var response = await http.GetAsync(path, ct);
            status = (int)response.StatusCode;
            body = await response.Content.ReadAsStringAsync(ct);
            retryAfter = ProviderHttpClients.RetryAfter(response);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or TaskCanceledException or IOException)
        {
            throw new ProviderUnavailableException(symbol, $"Stooq could not be reached for '{symbol}': {e.Message}", e);
        }

        var rows = StooqResponseParser.Parse(symbol, stooqSymbol, status, body, retryAfter);
        return new ProviderResult(symbol, RequestChecks.FromRangeStart(rows, request.From), ProviderMetadata.Unknown, []);
    }
}
