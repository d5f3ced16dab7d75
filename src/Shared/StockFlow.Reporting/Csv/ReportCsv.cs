using StockFlow.Csv;
using StockFlow.Reporting.Model;

namespace StockFlow.Reporting.Csv;

/// <summary>
/// Reads the analysis query results (results/&lt;execution&gt;/&lt;query&gt;.csv): a header row, fields possibly
/// quoted, empty = NULL, invariant culture. Columns are matched by name, so their order does not matter.
/// </summary>
public static class ReportCsv
{
    /// <summary>Per symbol: first and last date, trading days, average daily, annualized and cumulative return.</summary>
    public const string AverageReturnQuery = "average_return";

    /// <summary>Per symbol: annualized volatility of daily returns and its rank (1 = most volatile).</summary>
    public const string VolatilityRankingQuery = "volatility_ranking";

    /// <summary>Per trading day: an equal-weight index of all symbols and the share above their 50-day average.</summary>
    public const string MarketTrendQuery = "market_trend";

    /// <summary>Per symbol and day: adjusted close with its 20, 50 and 200-day moving averages.</summary>
    public const string PriceHistoryQuery = "price_history";

    /// <summary>
    /// The named analysis queries, in the order the pipeline runs them: the one list of them (a test keeps it equal to
    /// the SQL files under sql/queries/).
    /// </summary>
    public static IReadOnlyList<string> QueryNames { get; } = [AverageReturnQuery, VolatilityRankingQuery, MarketTrendQuery, PriceHistoryQuery];

    private static readonly string[] AverageReturnColumns =
        ["symbol", "first_date", "last_date", "trading_days", "avg_daily_return", "annualized_return", "cumulative_return"];

    private static readonly string[] VolatilityRankingColumns = ["symbol", "annualized_volatility", "rank"];

    private static readonly string[] MarketTrendColumns =
        ["trade_date", "symbols", "index_return", "index_level", "pct_above_ma50"];

    private static readonly string[] PriceHistoryColumns = ["symbol", "trade_date", "adj_close", "ma_20", "ma_50", "ma_200"];

    /// <summary>Reads the four <c>&lt;query&gt;.csv</c> files of one execution's results directory.</summary>
    /// <exception cref="FileNotFoundException">A query's file is missing; the message names the query.</exception>
    /// <exception cref="CsvFormatException">A file lacks a column or holds a value of the wrong type; the message names file, line and column.</exception>
    public static ReportQueryResults ReadResultsDirectory(string directory) =>
        new(
            ReadAverageReturns(ResultFile(directory, AverageReturnQuery)),
            ReadVolatilityRanking(ResultFile(directory, VolatilityRankingQuery)),
            ReadMarketTrend(ResultFile(directory, MarketTrendQuery)),
            ReadPriceHistory(ResultFile(directory, PriceHistoryQuery)));

    /// <summary>Reads a <see cref="AverageReturnQuery"/> result file (see <see cref="ReadAverageReturns(TextReader, string)"/>).</summary>
    public static IReadOnlyList<AverageReturnRow> ReadAverageReturns(string path) =>
        ReadFile(path, ReadAverageReturns);

    /// <summary>Reads a <see cref="VolatilityRankingQuery"/> result file (see <see cref="ReadVolatilityRanking(TextReader, string)"/>).</summary>
    public static IReadOnlyList<VolatilityRankingRow> ReadVolatilityRanking(string path) =>
        ReadFile(path, ReadVolatilityRanking);

    /// <summary>Reads a <see cref="MarketTrendQuery"/> result file (see <see cref="ReadMarketTrend(TextReader, string)"/>).</summary>
    public static IReadOnlyList<MarketTrendRow> ReadMarketTrend(string path) =>
        ReadFile(path, ReadMarketTrend);

    /// <summary>Reads a <see cref="PriceHistoryQuery"/> result file (see <see cref="ReadPriceHistory(TextReader, string)"/>).</summary>
    public static IReadOnlyList<PriceHistoryRow> ReadPriceHistory(string path) =>
        ReadFile(path, ReadPriceHistory);

    /// <summary>The rows of a <see cref="AverageReturnQuery"/> result, in file order; a result without rows still needs its header.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="source">Names the text (a path) in error messages.</param>
    /// <exception cref="CsvFormatException">A column is missing, a record has the wrong field count, or a value does not parse; the message names source, line and column.</exception>
    public static IReadOnlyList<AverageReturnRow> ReadAverageReturns(TextReader reader, string source) =>
        Map(reader, source, AverageReturnColumns, r => new AverageReturnRow(
            r.RequiredString("symbol"),
            r.Date("first_date"),
            r.Date("last_date"),
            r.Integer("trading_days"),
            r.NullableNumber("avg_daily_return"),
            r.NullableNumber("annualized_return"),
            r.NullableNumber("cumulative_return")));

    /// <summary>The rows of a <see cref="VolatilityRankingQuery"/> result, in file order; a result without rows still needs its header.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="source">Names the text (a path) in error messages.</param>
    /// <exception cref="CsvFormatException">A column is missing, a record has the wrong field count, or a value does not parse; the message names source, line and column.</exception>
    public static IReadOnlyList<VolatilityRankingRow> ReadVolatilityRanking(TextReader reader, string source) =>
        Map(reader, source, VolatilityRankingColumns, r => new VolatilityRankingRow(
            r.RequiredString("symbol"),
            r.NullableNumber("annualized_volatility"),
            r.Integer("rank")));

    /// <summary>The rows of a <see cref="MarketTrendQuery"/> result, in file order; a result without rows still needs its header.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="source">Names the text (a path) in error messages.</param>
    /// <exception cref="CsvFormatException">A column is missing, a record has the wrong field count, or a value does not parse; the message names source, line and column.</exception>
    public static IReadOnlyList<MarketTrendRow> ReadMarketTrend(TextReader reader, string source) =>
        Map(reader, source, MarketTrendColumns, r => new MarketTrendRow(
            r.Date("trade_date"),
            r.Integer("symbols"),
            r.NullableNumber("index_return"),
            r.NullableNumber("index_level"),
            r.NullableNumber("pct_above_ma50")));

    /// <summary>The rows of a <see cref="PriceHistoryQuery"/> result, in file order; a result without rows still needs its header.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="source">Names the text (a path) in error messages.</param>
    /// <exception cref="CsvFormatException">A column is missing, a record has the wrong field count, or a value does not parse; the message names source, line and column.</exception>
    public static IReadOnlyList<PriceHistoryRow> ReadPriceHistory(TextReader reader, string source) =>
        Map(reader, source, PriceHistoryColumns, r => new PriceHistoryRow(
            r.RequiredString("symbol"),
            r.Date("trade_date"),
            r.Number("adj_close"),
            r.NullableNumber("ma_20"),
            r.NullableNumber("ma_50"),
            r.NullableNumber("ma_200")));

    private static string ResultFile(string directory, string query)
    {
        var path = Path.Combine(directory, query + ".csv");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The result of query '{query}' is missing: {path}", path);
    }

    private static IReadOnlyList<T> ReadFile<T>(string path, Func<TextReader, string, IReadOnlyList<T>> read)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return read(reader, path);
    }

    /// <summary>Maps record by record as the text is read, so a large result is never held as text or as fields.</summary>
    private static List<T> Map<T>(
        TextReader reader, string source, string[] columns, Func<ResultRow, T> map)
    {
        using var records = new CsvReader(reader, source: source);
        var header = CsvHeader.Read(records, source);
        foreach (var column in columns)
        {
            header.ColumnIndex(column); // a file without rows must still have the expected header
        }

        var rows = new List<T>();
        while (records.Next())
        {
            header.Check(records);
            rows.Add(map(new ResultRow(header, records.LineNumber, records.Fields)));
        }

        return rows;
    }
}
