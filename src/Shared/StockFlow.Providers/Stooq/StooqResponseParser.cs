using StockFlow.Core.Csv;
using StockFlow.Core.Prices;
using StockFlow.Providers.Yahoo;

namespace StockFlow.Providers.Stooq;

/// <summary>
/// Reads Stooq's daily CSV. Stooq reports every failure with HTTP 200 and a non-CSV body (docs/providers.md, "Stooq daily CSV"),
/// so the header line decides: "No data" = unknown symbol, a hits-limit message = throttled, an HTML page
/// (API-key request or anti-bot check) = unavailable, anything else without the price header = invalid.
/// </summary>
internal static class StooqResponseParser
{
    public static IReadOnlyList<RawPriceRow> Parse(string symbol, string stooqSymbol, int status, string body, TimeSpan? retryAfter)
    {
        var snippet = YahooChartParser.Snippet(body);
        if (status == 429)
            throw new ProviderThrottledException(symbol, $"Stooq throttled the request for '{symbol}' (HTTP 429: {snippet}).", retryAfter);
        if (status >= 500)
            throw new ProviderUnavailableException(symbol, $"Stooq is unavailable for '{symbol}' (HTTP {status}: {snippet}).");
        if (status == 404)
            throw new SymbolNotFoundException(symbol, $"Stooq does not know '{symbol}' ('{stooqSymbol}', HTTP 404).");
        var text = body.TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        if (text.StartsWith("No data", StringComparison.OrdinalIgnoreCase))
            throw new SymbolNotFoundException(symbol, $"Stooq has no data for '{symbol}' (as '{stooqSymbol}').");
        if (text.Contains("Exceeded the daily hits limit", StringComparison.OrdinalIgnoreCase))
            throw new ProviderThrottledException(symbol, $"Stooq's daily hits limit is exceeded (request for '{symbol}').");
        if (text.StartsWith('<') || text.Contains("<html", StringComparison.OrdinalIgnoreCase))
            throw new ProviderUnavailableException(symbol,
                $"Stooq answered an HTML page for '{symbol}' (HTTP {status}): an API key request or an anti-bot check; set {ProviderOptions.StooqApiKeyVariable}. {snippet}");
        if (status is < 200 or > 299)
            throw new InvalidProviderResponseException(symbol, $"Stooq answered HTTP {status} for '{symbol}': {snippet}");
        var firstLine = text.Split('\n', 2)[0].Trim();
        if (!firstLine.StartsWith("Date,Open,High,Low,Close", StringComparison.OrdinalIgnoreCase))
            throw new InvalidProviderResponseException(symbol,
                $"Stooq's answer for '{symbol}' does not start with the header 'Date,Open,High,Low,Close[,Volume]': {snippet}");
        return PriceCsvReader.ReadString(text, $"stooq:{stooqSymbol}");
    }
}
