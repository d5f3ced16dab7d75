using System.Globalization;
using StockFlow.Core.Prices;
using StockFlow.Core.Symbols;

namespace StockFlow.Providers;

/// <summary>Checks shared by every provider: a safe symbol, a forward range, rows inside the range.</summary>
internal static class RequestChecks
{
    /// <summary>Returns the upper-cased symbol; throws <see cref="InvalidSymbolException"/> or <see cref="ArgumentException"/>.</summary>
    public static string Validate(PriceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var symbol = SymbolValidator.Validate(request.Symbol);
        if (request.To < request.From)
            throw new ArgumentException(
                $"The range {request.From:yyyy-MM-dd}..{request.To:yyyy-MM-dd} for '{symbol}' ends before it starts.", nameof(request));
        return symbol;
    }

    /// <summary>
    /// Keeps rows whose date is inside the range, and rows whose date does not parse: those are not ours to
    /// drop, validation quarantines them with a reason.
    /// </summary>
    public static IReadOnlyList<RawPriceRow> InRange(IEnumerable<RawPriceRow> rows, DateOnly from, DateOnly to)
    {
        // A full-history file asked for its whole range (a backfill) keeps every row: no second list then.
        if (rows is IReadOnlyList<RawPriceRow> list && list.All(Keep))
            return list;
        return rows.Where(Keep).ToList();

        bool Keep(RawPriceRow r) => !PriceFieldParser.TryParseDate(r.Date, out var date) || (date >= from && date <= to);
    }

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
