using System.Text.RegularExpressions;
using StockFlow.GlueAthena.Local.DuckDb;
using StockFlow.Core.Prices;

namespace StockFlow.GlueAthena.Local.Sql;

/// <summary>
/// sql/transform/clean_prices.sql with its <c>${name}</c> placeholders replaced by the limits of <see cref="PriceRules"/>,
/// so the transform and the ingest's validator apply one definition of the cleaning rules.
/// </summary>
public static partial class CleanPricesSql
{
    /// <param name="lastTradeDate">The latest trade date accepted (<see cref="PriceRules.LastTradeDate"/> of the run's clock).</param>
    public static string Render(DateOnly lastTradeDate)
    {
        var values = PriceRules.SqlValues(lastTradeDate);
        var sql = SqlText.WithoutTrailingSemicolon(SqlLibrary.GetTransform("clean_prices"));
        return Placeholder().Replace(sql, match => values.TryGetValue(match.Groups[1].Value, out var value)
            ? value
            : throw new InvalidOperationException($"clean_prices.sql names '{match.Value}', which PriceRules does not define."));
    }

    [GeneratedRegex(@"\$\{([a-z_]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
