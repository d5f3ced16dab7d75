using System.Globalization;
using StockFlow.Core.Prices;
using StockFlow.Core.Symbols;

namespace StockFlow.Providers;

/// <summary>Checks shared by every provider: a safe symbol, a forward range, rows inside the range.</summary>
internal static class RequestChecks
{
    /// <summary>Returns the upper-cased symbol; throws <see cref="InvalidSymbolException"/> or <see cref="InvalidPriceRequestException"/>.</summary>
    public static string Validate(PriceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var symbol = SymbolValidator.Validate(request.Symbol);
        if (request.To < request.From)
            throw new InvalidPriceRequestException(symbol,
                $"The range {request.From:yyyy-MM-dd}..{request.To:yyyy-MM-dd} for '{symbol}' ends before it starts.");
        return symbol;
    }

    /// <summary>
    /// Drops the rows dated before the range (already imported, or not asked for). Keeps the rest: rows inside the range,
    /// rows whose date does not parse and rows dated before 1900 (not ours to drop: validation quarantines them with a
    /// reason), and rows after the range, which the ingest splits into "not asked for" (up to the last completed weekday)
    /// and "date out of range" (later), a limit only the ingest's clock knows.
    /// </summary>
    public static IReadOnlyList<RawPriceRow> FromRangeStart(IEnumerable<RawPriceRow> rows, DateOnly from)
    {
        // A full-history file asked for its whole range (a backfill) keeps every row: no second list then.
        if (rows is IReadOnlyList<RawPriceRow> list && list.All(Keep))
            return list;
        return rows.Where(Keep).ToList();

        bool Keep(RawPriceRow r) => !PriceFieldParser.TryParseDate(r.Date, out var date) || date < PriceRules.EarliestDate || date >= from;
    }

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
