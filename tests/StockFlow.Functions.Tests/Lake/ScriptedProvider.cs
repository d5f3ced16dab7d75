using System.Collections.Concurrent;
using System.Globalization;
using StockFlow.Core.Prices;
using StockFlow.Providers;

namespace StockFlow.Functions.Tests.Lake;

/// <summary>
/// A provider that answers every weekday of the requested range with prices derived from the date (so a
/// refetch of a day gives the same row), unless a test overrides a day's row or makes a symbol fail.
/// Records every request so tests can see which ranges were fetched.
/// </summary>
public sealed class ScriptedProvider(string name = "yahoo") : IPriceProvider
{
    private readonly ConcurrentDictionary<(string Symbol, DateOnly Date), RawPriceRow> _overrides = new();
    private readonly ConcurrentQueue<(string Symbol, RawPriceRow Row)> _extra = new();
    private readonly ConcurrentDictionary<string, Exception> _failures = new(StringComparer.Ordinal);

    public string Name => name;

    public ConcurrentQueue<PriceRequest> Requests { get; } = new();

    public static double CloseOn(DateOnly date) => 100 + (date.DayNumber % 50) / 4.0;

    public void Override(string symbol, DateOnly date, string open, string high, string low, string close, string adjClose, string volume) =>
        _overrides[(symbol, date)] = new RawPriceRow($"scripted:{symbol}", Iso(date), open, high, low, close, adjClose, volume);

    /// <summary>Sends <paramref name="row"/> after the range's rows, whatever the request (a duplicate, an odd date, ...).</summary>
    public void Append(string symbol, string date, string open, string high, string low, string close, string adjClose, string volume) =>
        _extra.Enqueue((symbol, new RawPriceRow($"scripted:{symbol}:extra", date, open, high, low, close, adjClose, volume)));

    public void ClearOverrides()
    {
        _overrides.Clear();
        _extra.Clear();
    }

    public void Fail(string symbol, Exception error) => _failures[symbol] = error;

    public void ClearFailures() => _failures.Clear();

    public Task<ProviderResult> FetchAsync(PriceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        Requests.Enqueue(request);
        if (_failures.TryGetValue(request.Symbol, out var error))
        {
            throw error;
        }

        var rows = new List<RawPriceRow>();
        for (var day = request.From; day <= request.To; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }

            if (_overrides.TryGetValue((request.Symbol, day), out var row))
            {
                rows.Add(row);
                continue;
            }

            var close = CloseOn(day);
            rows.Add(new RawPriceRow($"scripted:{request.Symbol}", Iso(day), N(close - 1), N(close + 1), N(close - 2), N(close), N(close - 0.5), "1000"));
        }

        rows.AddRange(_extra.Where(e => e.Symbol == request.Symbol).Select(e => e.Row));
        return Task.FromResult(new ProviderResult(request.Symbol, rows, ProviderMetadata.Unknown, []));
    }

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
