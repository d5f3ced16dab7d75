using StockFlow.Csv;
using StockFlow.Reporting.Csv;
using StockFlow.Reporting.Model;

namespace StockFlow.Reporting.Tests;

public class ReportCsvTests
{
    [Fact]
    public void Average_return_reads_quoted_athena_output_with_nulls()
    {
        const string csv = "\"symbol\",\"first_date\",\"last_date\",\"trading_days\",\"avg_daily_return\",\"annualized_return\",\"cumulative_return\"\n"
            + "\"AAPL\",\"2024-01-02\",\"2024-12-31\",\"252\",\"0.0012\",\"0.3024\",\"0.35\"\n"
            + "\"NEW\",\"2024-12-31\",\"2024-12-31\",\"1\",,,\"0.0\"\n";

        var rows = ReportCsv.ReadAverageReturns(new StringReader(csv), "average_return.csv");

        Assert.Equal(
            [
                new AverageReturnRow("AAPL", new(2024, 1, 2), new(2024, 12, 31), 252, 0.0012, 0.3024, 0.35),
                new AverageReturnRow("NEW", new(2024, 12, 31), new(2024, 12, 31), 1, null, null, 0.0),
            ],
            rows);
    }

    [Fact]
    public void Quoted_fields_may_hold_commas_quotes_and_newlines_and_columns_may_come_in_any_order()
    {
        const string csv = "rank,annualized_volatility,symbol\r\n"
            + "1,0.45,\"BRK,B\"\r\n"
            + "2,\"\",\"say \"\"hi\"\"\"\r\n"
            + "3,0.2,\"two\nlines\"\r\n";

        var rows = ReportCsv.ReadVolatilityRanking(new StringReader(csv), "volatility_ranking.csv");

        Assert.Equal(
            [
                new VolatilityRankingRow("BRK,B", 0.45, 1),
                new VolatilityRankingRow("say \"hi\"", null, 2),
                new VolatilityRankingRow("two\nlines", 0.2, 3),
            ],
            rows);
    }

    [Fact]
    public void Market_trend_and_price_history_read_nulls_as_null()
    {
        var trend = ReportCsv.ReadMarketTrend(
            new StringReader("trade_date,symbols,index_return,index_level,pct_above_ma50\n2024-01-02,3,,1.0,\n2024-01-03,3,-0.01,0.99,0.6667\n"),
            "market_trend.csv");
        Assert.Equal(
            [
                new MarketTrendRow(new(2024, 1, 2), 3, null, 1.0, null),
                new MarketTrendRow(new(2024, 1, 3), 3, -0.01, 0.99, 0.6667),
            ],
            trend);

        var prices = ReportCsv.ReadPriceHistory(
            new StringReader("\uFEFFsymbol,trade_date,adj_close,ma_20,ma_50,ma_200\nAAPL,2024-01-02 00:00:00.000,185.64,,,\nAAPL,2024-01-03,184.25,1.5E2,,\n"),
            "price_history.csv");
        Assert.Equal(
            [
                new PriceHistoryRow("AAPL", new(2024, 1, 2), 185.64, null, null, null),
                new PriceHistoryRow("AAPL", new(2024, 1, 3), 184.25, 150, null, null),
            ],
            prices);
    }

    [Fact]
    public void A_header_without_rows_is_an_empty_result()
    {
        Assert.Empty(ReportCsv.ReadVolatilityRanking(new StringReader("symbol,annualized_volatility,rank\n"), "v.csv"));
        Assert.Empty(ReportCsv.ReadVolatilityRanking(new StringReader("symbol,annualized_volatility,rank\n\n"), "v.csv"));
    }

    [Theory]
    [InlineData("", "v.csv: the file is empty; expected a header row.")]
    [InlineData("symbol,rank\nA,1\n", "v.csv: missing column 'annualized_volatility' (header has: symbol, rank).")]
    [InlineData("symbol,annualized_volatility,rank\n", null)]
    [InlineData("symbol,annualized_volatility,rank\nA,abc,1\n", "v.csv line 2, column 'annualized_volatility': 'abc' is not a number.")]
    [InlineData("symbol,annualized_volatility,rank\nA,0.1,1\nB,NaN,2\n", "v.csv line 3, column 'annualized_volatility': 'NaN' is not a finite number.")]
    [InlineData("symbol,annualized_volatility,rank\nA,0.1,first\n", "v.csv line 2, column 'rank': 'first' is not an integer.")]
    [InlineData("symbol,annualized_volatility,rank\n,0.1,1\n", "v.csv line 2, column 'symbol': a value is required.")]
    [InlineData("symbol,annualized_volatility,rank\nA,0.1\n", "v.csv line 2: expected 3 fields, found 2.")]
    [InlineData("symbol,annualized_volatility,rank\n\"A,0.1,1\n", "v.csv line 2: a quoted field is not closed before the end of the text")]
    [InlineData("symbol,symbol,rank\n", "v.csv: duplicate column 'symbol' in the header.")]
    public void Bad_input_is_a_clear_error_naming_file_line_and_column(string csv, string? expected)
    {
        if (expected is null)
        {
            Assert.Empty(ReportCsv.ReadVolatilityRanking(new StringReader(csv), "v.csv"));
            return;
        }

        var error = Assert.Throws<CsvFormatException>(() => ReportCsv.ReadVolatilityRanking(new StringReader(csv), "v.csv"));
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Dates_must_be_iso_dates()
    {
        var error = Assert.Throws<CsvFormatException>(() => ReportCsv.ReadMarketTrend(
            new StringReader("trade_date,symbols,index_return,index_level,pct_above_ma50\n01/02/2024,1,,1,\n"), "m.csv"));
        Assert.Equal("m.csv line 2, column 'trade_date': '01/02/2024' is not a date (expected yyyy-MM-dd).", error.Message);

        var notMidnight = Assert.Throws<CsvFormatException>(() => ReportCsv.ReadMarketTrend(
            new StringReader("trade_date,symbols,index_return,index_level,pct_above_ma50\n2024-01-02 13:30:00,1,,1,\n"), "m.csv"));
        Assert.Contains("'2024-01-02 13:30:00' is not a date", notMidnight.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Results_directory_reads_all_four_queries_and_names_a_missing_one()
    {
        var directory = Directory.CreateTempSubdirectory("stockflow-report-csv-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "average_return.csv"),
                "symbol,first_date,last_date,trading_days,avg_daily_return,annualized_return,cumulative_return\nKO,2024-01-02,2024-01-05,4,0.001,0.252,0.003\n");
            File.WriteAllText(Path.Combine(directory, "volatility_ranking.csv"), "symbol,annualized_volatility,rank\nKO,0.12,1\n");
            File.WriteAllText(Path.Combine(directory, "price_history.csv"), "symbol,trade_date,adj_close,ma_20,ma_50,ma_200\nKO,2024-01-02,60.5,,,\n");

            var missing = Assert.Throws<FileNotFoundException>(() => ReportCsv.ReadResultsDirectory(directory));
            Assert.Contains("'market_trend'", missing.Message, StringComparison.Ordinal);

            File.WriteAllText(Path.Combine(directory, "market_trend.csv"),
                "trade_date,symbols,index_return,index_level,pct_above_ma50\n2024-01-02,1,,1.0,\n");
            var results = ReportCsv.ReadResultsDirectory(directory);

            Assert.Equal("KO", Assert.Single(results.AverageReturns).Symbol);
            Assert.Equal(0.12, Assert.Single(results.VolatilityRanking).AnnualizedVolatility);
            Assert.Equal(1.0, Assert.Single(results.MarketTrend).IndexLevel);
            Assert.Equal(60.5, Assert.Single(results.PriceHistory).AdjClose);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_report_built_from_loaded_csv_files_matches_one_built_from_the_same_rows()
    {
        var sample = SampleReportData.Create(symbolCount: 3);
        var directory = Directory.CreateTempSubdirectory("stockflow-report-roundtrip-").FullName;
        try
        {
            CsvWriterForTests.WriteResults(directory, sample.Results);
            var loaded = sample with { Results = ReportCsv.ReadResultsDirectory(directory) };

            Assert.Equal(sample.Results.AverageReturns, loaded.Results.AverageReturns);
            Assert.Equal(sample.Results.PriceHistory, loaded.Results.PriceHistory);
            Assert.Equal(ReportBuilder.Build(sample), ReportBuilder.Build(loaded));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
