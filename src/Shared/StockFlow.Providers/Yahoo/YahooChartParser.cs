using System.Text.Json;

namespace StockFlow.Providers.Yahoo;

/// <summary>
/// Reads a v8 chart HTTP answer into a <see cref="YahooChart"/> or the matching provider exception, in the order
/// docs/providers.md gives (Yahoo, "Errors"): HTTP status, then "is it JSON", then chart.error, then result[0].
/// Lenient about fields it does not need, strict about what it uses: array lengths must match the timestamps.
/// </summary>
internal static class YahooChartParser
{
    public static YahooChart Parse(string symbol, int status, string body, TimeSpan? retryAfter)
    {
        var snippet = Snippet(body);
        if (status == 429)
            throw new ProviderThrottledException(symbol, $"Yahoo throttled the request for '{symbol}' (HTTP 429: {snippet}).", retryAfter);
        if (status >= 500)
            throw new ProviderUnavailableException(symbol, $"Yahoo is unavailable for '{symbol}' (HTTP {status}: {snippet}).");
        if (LooksLikeHtml(body))
            throw new ProviderUnavailableException(symbol,
                $"Yahoo answered an HTML page instead of JSON for '{symbol}' (HTTP {status}), e.g. its 'Will be right back' outage page: {snippet}");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            if (status == 404)
                throw new SymbolNotFoundException(symbol, $"Yahoo does not know '{symbol}' (HTTP 404: {snippet}).", e);
            if (status is 401 or 403)
                throw new ProviderUnavailableException(symbol, $"Yahoo refused the request for '{symbol}' (HTTP {status}: {snippet}).", e);
            throw new InvalidProviderResponseException(symbol,
                $"Yahoo's answer for '{symbol}' (HTTP {status}) is not valid JSON (truncated?): {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("chart", out var chart) || chart.ValueKind != JsonValueKind.Object)
            {
                if (status == 404)
                    throw new SymbolNotFoundException(symbol, $"Yahoo does not know '{symbol}' (HTTP 404: {snippet}).");
                if (status is 401 or 403)
                    throw new ProviderUnavailableException(symbol, $"Yahoo refused the request for '{symbol}' (HTTP {status}: {snippet}).");
                throw new InvalidProviderResponseException(symbol, $"Yahoo's answer for '{symbol}' (HTTP {status}) has no 'chart' object: {snippet}");
            }

            if (chart.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                return FromError(symbol, status, error);
            if (status == 404)
                throw new SymbolNotFoundException(symbol, $"Yahoo does not know '{symbol}' (HTTP 404).");
            if (status is < 200 or > 299)
                throw new InvalidProviderResponseException(symbol, $"Yahoo answered HTTP {status} for '{symbol}' without an error description: {snippet}");

            if (!chart.TryGetProperty("result", out var results) || results.ValueKind != JsonValueKind.Array || results.GetArrayLength() == 0)
                throw new InvalidProviderResponseException(symbol, $"Yahoo's answer for '{symbol}' has neither a result nor an error.");
            return FromResult(symbol, results[0]);
        }
    }

    private static YahooChart FromError(string symbol, int status, JsonElement error)
    {
        var code = Text(error, "code") ?? "(no code)";
        var description = Text(error, "description") ?? "(no description)";
        if (status == 404 || code.Equals("Not Found", StringComparison.OrdinalIgnoreCase))
            throw new SymbolNotFoundException(symbol, $"Yahoo does not know '{symbol}': {description}");
        // A valid symbol with no data in the range (e.g. before its listing): an empty result, not a failure.
        if (description.Contains("Data doesn't exist", StringComparison.OrdinalIgnoreCase)
            || description.Contains("Data doesn\u2019t exist", StringComparison.OrdinalIgnoreCase))
            return YahooChart.Empty;
        if (status == 429 || code.Contains("Too Many", StringComparison.OrdinalIgnoreCase))
            throw new ProviderThrottledException(symbol, $"Yahoo throttled the request for '{symbol}': {description}");
        throw new InvalidProviderResponseException(symbol, $"Yahoo rejected the request for '{symbol}' (HTTP {status}, {code}): {description}");
    }

    private static YahooChart FromResult(string symbol, JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Object)
            throw new InvalidProviderResponseException(symbol, $"Yahoo's result for '{symbol}' is not an object.");
        var meta = result.TryGetProperty("meta", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        var currency = meta.ValueKind == JsonValueKind.Object ? Text(meta, "currency") : null;
        var zone = meta.ValueKind == JsonValueKind.Object ? Text(meta, "exchangeTimezoneName") : null;
        var type = meta.ValueKind == JsonValueKind.Object ? Text(meta, "instrumentType") : null;
        long? sessionEnd = null;
        if (meta.ValueKind == JsonValueKind.Object
            && meta.TryGetProperty("currentTradingPeriod", out var period) && period.ValueKind == JsonValueKind.Object
            && period.TryGetProperty("regular", out var regular) && regular.ValueKind == JsonValueKind.Object
            && regular.TryGetProperty("end", out var end) && end.TryGetInt64(out var endSeconds))
            sessionEnd = endSeconds;

        if (!result.TryGetProperty("timestamp", out var stamps) || stamps.ValueKind == JsonValueKind.Null)
            return YahooChart.Empty with { Currency = currency, ExchangeTimeZone = zone, InstrumentType = type };
        if (stamps.ValueKind != JsonValueKind.Array)
            throw new InvalidProviderResponseException(symbol, $"Yahoo's 'timestamp' for '{symbol}' is not an array.");
        var timestamps = new List<long>(stamps.GetArrayLength());
        foreach (var stamp in stamps.EnumerateArray())
        {
            if (!stamp.TryGetInt64(out var seconds))
                throw new InvalidProviderResponseException(symbol, $"Yahoo's timestamp #{timestamps.Count} for '{symbol}' is not a whole number: {stamp.GetRawText()}");
            timestamps.Add(seconds);
        }
        if (timestamps.Count > 0 && string.IsNullOrEmpty(zone))
            throw new InvalidProviderResponseException(symbol,
                $"Yahoo's answer for '{symbol}' has bars but no meta.exchangeTimezoneName, so their trading dates are unknown.");

        if (!result.TryGetProperty("indicators", out var indicators) || indicators.ValueKind != JsonValueKind.Object
            || !indicators.TryGetProperty("quote", out var quotes) || quotes.ValueKind != JsonValueKind.Array || quotes.GetArrayLength() == 0)
            throw new InvalidProviderResponseException(symbol, $"Yahoo's answer for '{symbol}' has timestamps but no indicators.quote.");
        var quote = quotes[0];
        var count = timestamps.Count;
        var open = Column(symbol, quote, "open", count, required: true)!;
        var high = Column(symbol, quote, "high", count, required: true)!;
        var low = Column(symbol, quote, "low", count, required: true)!;
        var close = Column(symbol, quote, "close", count, required: true)!;
        var volume = Column(symbol, quote, "volume", count, required: false) ?? new double?[count];
        IReadOnlyList<double?>? adjClose = null;
        if (indicators.TryGetProperty("adjclose", out var adjs) && adjs.ValueKind == JsonValueKind.Array && adjs.GetArrayLength() > 0)
            adjClose = Column(symbol, adjs[0], "adjclose", count, required: false);

        var dividends = new List<YahooDividend>();
        var splits = new List<YahooSplit>();
        if (result.TryGetProperty("events", out var events) && events.ValueKind == JsonValueKind.Object)
        {
            if (events.TryGetProperty("dividends", out var divs) && divs.ValueKind == JsonValueKind.Object)
            {
                foreach (var dividend in divs.EnumerateObject())
                {
                    if (Number(dividend.Value, "date") is { } date && Number(dividend.Value, "amount") is { } amount)
                        dividends.Add(new YahooDividend((long)date, amount));
                    else
                        throw new InvalidProviderResponseException(symbol, $"Yahoo's dividend '{dividend.Name}' for '{symbol}' lacks a date or amount.");
                }
            }
            if (events.TryGetProperty("splits", out var splitEvents) && splitEvents.ValueKind == JsonValueKind.Object)
            {
                foreach (var split in splitEvents.EnumerateObject())
                {
                    if (Number(split.Value, "date") is { } date && Number(split.Value, "numerator") is { } numerator
                        && Number(split.Value, "denominator") is { } denominator && numerator > 0 && denominator > 0)
                        splits.Add(new YahooSplit((long)date, numerator, denominator));
                    else
                        throw new InvalidProviderResponseException(symbol, $"Yahoo's split '{split.Name}' for '{symbol}' lacks a date or a positive ratio.");
                }
            }
        }
        return new YahooChart(currency, zone, type, sessionEnd, timestamps, open, high, low, close, volume, adjClose,
            dividends.OrderBy(d => d.Timestamp).ToList(), splits.OrderBy(s => s.Timestamp).ToList());
    }

    private static double?[]? Column(string symbol, JsonElement parent, string name, int count, bool required)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            if (required && count > 0)
                throw new InvalidProviderResponseException(symbol, $"Yahoo's answer for '{symbol}' has {count} timestamps but no '{name}' array.");
            return null;
        }
        if (array.ValueKind != JsonValueKind.Array)
            throw new InvalidProviderResponseException(symbol, $"Yahoo's '{name}' for '{symbol}' is not an array.");
        if (array.GetArrayLength() != count)
            throw new InvalidProviderResponseException(symbol,
                $"Yahoo's '{name}' array for '{symbol}' has {array.GetArrayLength()} values for {count} timestamps.");
        var values = new double?[count];
        var i = 0;
        foreach (var element in array.EnumerateArray())
        {
            values[i] = element.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.Number => element.GetDouble(),
                _ => throw new InvalidProviderResponseException(symbol,
                    $"Yahoo's '{name}' value #{i} for '{symbol}' is neither a number nor null: {element.GetRawText()}"),
            };
            i++;
        }
        return values;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble() : null;

    private static bool LooksLikeHtml(string body)
    {
        var trimmed = body.AsSpan().TrimStart();
        return trimmed.StartsWith("<", StringComparison.Ordinal);
    }

    internal static string Snippet(string body)
    {
        var flat = string.Join(' ', body.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return flat.Length <= 200 ? flat : flat[..200] + "...";
    }
}
