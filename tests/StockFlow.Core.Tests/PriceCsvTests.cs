using System.Globalization;
using System.Text;
using StockFlow.Core.Csv;
using StockFlow.Core.Prices;
using StockFlow.Csv;

namespace StockFlow.Core.Tests;

public class PriceCsvTests
{
    [Fact]
    public void Bars_round_trip_exactly_through_the_raw_csv()
    {
        DailyBar[] bars =
        [
            new(new DateOnly(2020, 8, 31), 127.58000183105469, 131, 126, 129.0399932861328, 125.82671356201172, 225702700),
            new(new DateOnly(2020, 9, 1), 0.1 + 0.2, 1e-7 + 1, 1.0 / 3, 2.0 / 3, null, 0),
            new(new DateOnly(2020, 9, 2), 123456789.123, 999999999.99999988, 1.0000000000000002E-6, 1e-6 * 3, 4.9406564584124654E-4, PriceRules.MaxVolume),
        ];
        var csv = PriceCsvWriter.WriteString(bars);
        var rows = PriceCsvReader.ReadString(csv, "x.csv");
        var back = rows.Select(r => PriceRowValidator.Validate(r)).Select(v => v.Bar ?? throw new InvalidOperationException(v.Rejection!.Reason)).ToList();
        Assert.Equal(bars, back);
        foreach (var (bar, again) in bars.Zip(back))
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(bar.Close), BitConverter.DoubleToInt64Bits(again.Close));
            Assert.Equal(bar.AdjClose.HasValue, again.AdjClose.HasValue);
        }
    }

    [Fact]
    public void The_writer_uses_Yahoo_columns_invariant_numbers_and_an_empty_adj_close_for_null()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("fr-FR");
            var csv = PriceCsvWriter.WriteString([new DailyBar(new DateOnly(2020, 1, 2), 74.059998, 75.150002, 73.797501, 75.087502, null, 135480400)]);
            Assert.Equal("Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,74.059998,75.150002,73.797501,75.087502,,135480400\n", csv);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void The_reader_names_each_row_by_file_and_line_and_copes_with_bom_crlf_and_blank_lines()
    {
        var csv = "\uFEFFDate,Open,High,Low,Close,Adj Close,Volume\r\n\r\n2020-01-02,1,2,0.5,1.5,1.4,10\r\n   \r\n2020-01-03,1,2,0.5,1.5,,11\r\n";
        var rows = PriceCsvReader.ReadString(csv, "AAPL.csv");
        Assert.Equal(
        [
            new RawPriceRow("AAPL.csv:3", "2020-01-02", "1", "2", "0.5", "1.5", "1.4", "10"),
            new RawPriceRow("AAPL.csv:5", "2020-01-03", "1", "2", "0.5", "1.5", "", "11"),
        ], rows);
    }

    [Fact]
    public void A_bom_read_through_a_stream_reader_is_ignored()
    {
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes("Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,1,2,0.5,1.5,1.4,10\n")).ToArray();
        using var reader = new StreamReader(new MemoryStream(bytes));
        Assert.Single(PriceCsvReader.Read(reader, "f.csv"));
    }

    [Fact]
    public void Columns_are_found_by_name_so_a_missing_adj_close_or_extra_column_is_fine()
    {
        var stooq = PriceCsvReader.ReadString("Date,Open,High,Low,Close,Volume\n2020-01-02,1,2,0.5,1.5,10\n", "s");
        Assert.Equal(new RawPriceRow("s:2", "2020-01-02", "1", "2", "0.5", "1.5", null, "10"), Assert.Single(stooq));

        var extra = PriceCsvReader.ReadString("date,open,high,low,close,adj_close,volume,Dividends\n2020-01-02,1,2,0.5,1.5,1.4,10,0.2\n", "e");
        Assert.Equal(new RawPriceRow("e:2", "2020-01-02", "1", "2", "0.5", "1.5", "1.4", "10"), Assert.Single(extra));

        var reordered = PriceCsvReader.ReadString("Volume,Close,Date,High,Low,Open\n10,1.5,2020-01-02,2,0.5,1\n", "r");
        Assert.Equal(new RawPriceRow("r:2", "2020-01-02", "1", "2", "0.5", "1.5", null, "10"), Assert.Single(reordered));
    }

    [Fact]
    public void A_short_row_gets_null_fields_that_validation_rejects_and_a_row_longer_than_the_header_is_rejected()
    {
        var rows = PriceCsvReader.ReadString("Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,1,2\n2020-01-03,1,2,0.5,1.5,1.4,10,junk,more\n", "f");
        Assert.Equal(new RawPriceRow("f:2", "2020-01-02", "1", "2", null, null, null, null), rows[0]);
        Assert.Equal("low missing or non-numeric", PriceRowValidator.Validate(rows[0]).Rejection!.Reason);
        Assert.Equal("9 fields, expected 7", PriceRowValidator.Validate(rows[1]).Rejection!.Reason);
    }

    [Fact]
    public void Quoted_fields_with_commas_quotes_and_line_breaks_are_read()
    {
        var rows = PriceCsvReader.ReadString("Date,Open,High,Low,Close,Adj Close,Volume\n\"2020-01-02\",\"1,5\",\"say \"\"hi\"\"\",\"a\nb\",1,,\"7\"\n2020-01-03,1,1,1,1,1,1\n", "q");
        Assert.Equal(new RawPriceRow("q:2", "2020-01-02", "1,5", "say \"hi\"", "a\nb", "1", "", "7"), rows[0]);
        Assert.Equal("q:4", rows[1].Source);
    }

    [Fact]
    public void An_unclosed_quote_is_a_clear_format_error()
    {
        var error = Assert.Throws<CsvFormatException>(() => PriceCsvReader.ReadString("Date,Open\n\"2020-01-02,1\n", "bad.csv"));
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("\n\n", "is empty")]
    [InlineData("Open,High\n1,2\n", "has no Date column")]
    [InlineData("<html><body>Will be right back</body></html>", "has no Date column")]
    public void A_file_without_a_price_header_is_a_clear_format_error(string csv, string message)
    {
        var error = Assert.Throws<CsvFormatException>(() => PriceCsvReader.ReadString(csv, "x.csv"));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("x.csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_old_Yahoo_null_export_reads_and_every_null_row_is_quarantined()
    {
        var csv = "Date,Open,High,Low,Close,Adj Close,Volume\n2004-01-05,null,null,null,null,null,null\n2004-01-06,0.6856,0.6888,0.6830,0.6868,0.6868,0\n";
        var result = PriceRowValidator.At(TimeProvider.System).CheckAll(PriceCsvReader.ReadString(csv, "EURGBP=X.csv"));
        Assert.Single(result.Bars);
        Assert.Equal("EURGBP=X.csv:2", Assert.Single(result.Rejections).Row.Source);
    }

    [Fact]
    public void Rejected_rows_are_written_with_their_original_fields_and_reason()
    {
        var rejections = new[]
        {
            new Rejection(new RawPriceRow("a.csv:3", "2020-01-02", "1", "x,y", null, "1", "", "5"), "high 'x,y' is not a number"),
        };
        var csv = RejectedRowsCsvWriter.WriteString(rejections);
        Assert.Equal("Date,Open,High,Low,Close,Adj Close,Volume,Reason,Source\n2020-01-02,1,\"x,y\",,1,,5,\"high 'x,y' is not a number\",a.csv:3\n", csv);

        var back = PriceCsvReader.ReadString(csv, "rejected.csv");
        Assert.Equal("x,y", Assert.Single(back).High);
    }

    [Fact]
    public void A_quoted_field_with_a_crlf_line_break_keeps_one_line_break_and_counts_both_lines()
    {
        var rows = PriceCsvReader.ReadString("Date,Open,High,Low,Close,Adj Close,Volume\r\n2020-01-02,\"1\r\n2\",2,1,1,1,1\r\n2020-01-03,1,2,1,1,1,1\r\n", "q");
        Assert.Equal(("q:2", "1\n2"), (rows[0].Source, rows[0].Open));
        Assert.Equal("q:4", rows[1].Source);
    }

    [Fact]
    public void Price_rows_read_from_a_stream_equal_the_rows_read_from_the_same_text()
    {
        var csv = "Date,Open,High,Low,Close,Adj Close,Volume\r\n" + string.Concat(Enumerable.Range(0, 3000).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"{new DateOnly(2000, 1, 1).AddDays(i):yyyy-MM-dd}, {i}.5 ,{i + 1},{i}, {i}.25,,{i * 100}\r\n")));
        using var reader = new StreamReader(new MemoryStream(Encoding.UTF8.GetBytes(csv)));
        Assert.Equal(PriceCsvReader.ReadString(csv, "f"), PriceCsvReader.Read(reader, "f"));
        Assert.Equal(new RawPriceRow("f:2", "2000-01-01", "0.5", "1", "0", "0.25", "", "0"), PriceCsvReader.ReadString(csv, "f")[0]);
    }
}

public class PriceCsvFastPathTests
{
    [Theory]
    [InlineData("2024-02-29")]
    [InlineData("2023-02-29")]
    [InlineData("0001-01-01")]
    [InlineData("0000-01-01")]
    [InlineData("9999-12-31")]
    [InlineData("2024-13-01")]
    [InlineData("2024-00-10")]
    [InlineData("2024-04-31")]
    [InlineData("2024-4-03")]
    [InlineData("2024/04/03")]
    [InlineData("２０２４-04-03")]
    [InlineData("2024-04-0x")]
    [InlineData("+024-04-03")]
    [InlineData(" 2024-04-03")]
    [InlineData("2024-04-03 ")]
    public void The_yyyy_MM_dd_shortcut_agrees_with_the_format_parser(string text)
    {
        var expected = DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date);
        Assert.Equal((expected, date), (PriceFieldParser.TryParseDate(text, out var parsed), parsed));
    }

    [Fact]
    public void Every_day_of_four_centuries_parses_to_the_same_date_as_the_format_parser()
    {
        for (var day = new DateOnly(1900, 1, 1); day < new DateOnly(2300, 1, 1); day = day.AddDays(1))
        {
            var text = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(PriceFieldParser.TryParseDate(text, out var parsed));
            Assert.Equal(day, parsed);
        }
    }

    [Fact]
    public void The_utf8_date_shortcut_reads_what_the_text_shortcut_reads()
    {
        var texts = new[] { "2024-04-03", "2024-02-29", "2023-02-29", "2024-13-01", "2024-4-03", "2024/04/03", "２０２４-04-03", " 2024-04-03", "" };
        var days = Enumerable.Range(0, 800).Select(i => new DateOnly(1999, 12, 1).AddDays(i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        foreach (var text in texts.Concat(days))
        {
            var fromText = PriceFieldParser.TryParseIsoDate(text, out var textDate);
            var fromUtf8 = PriceFieldParser.TryParseIsoDate(Encoding.UTF8.GetBytes(text), out var utf8Date);
            Assert.Equal((fromText, textDate), (fromUtf8, utf8Date));
        }
    }

    [Fact]
    public void The_utf8_writer_writes_the_bytes_of_the_text_writer()
    {
        var random = new Random(7);
        var bars = Enumerable.Range(0, 500).Select(i => new DailyBar(
            new DateOnly(1990, 1, 1).AddDays(i),
            random.NextDouble() * 1000,
            i % 7 == 0 ? double.MaxValue : random.NextDouble() * Math.Pow(10, random.Next(-8, 12)),
            i % 11 == 0 ? double.Epsilon : random.NextDouble(),
            Math.Round(random.NextDouble() * 500, 4),
            i % 3 == 0 ? null : -random.NextDouble() * 1e-300,
            i % 5 == 0 ? long.MaxValue : random.NextInt64())).ToList();

        // The text of each field as ToString("R") writes it, joined by hand.
        var reference = PriceCsvFormat.Header + "\n" + string.Concat(bars.Select(b => string.Join(',',
            b.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            PriceCsvWriter.FormatNumber(b.Open), PriceCsvWriter.FormatNumber(b.High), PriceCsvWriter.FormatNumber(b.Low), PriceCsvWriter.FormatNumber(b.Close),
            b.AdjClose is { } adj ? PriceCsvWriter.FormatNumber(adj) : "",
            b.Volume.ToString(System.Globalization.CultureInfo.InvariantCulture)) + "\n"));
        Assert.Equal(reference, PriceCsvWriter.WriteString(bars));
        Assert.Equal(Encoding.UTF8.GetBytes(reference), PriceCsvWriter.WriteUtf8(bars).ToArray());
        Assert.Equal(Encoding.UTF8.GetBytes(PriceCsvFormat.Header + "\n"), PriceCsvWriter.WriteUtf8([]).ToArray());
    }
}
