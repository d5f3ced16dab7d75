namespace StockFlow.Csv.Tests;

/// <summary>The reader's rules, once for every format that uses it (price files, query results, crawler, ItemReader).</summary>
public class CsvReaderTests
{
    [Fact]
    public void Quoted_fields_keep_delimiters_doubled_quotes_and_line_breaks()
    {
        var records = Read("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\r\nline\",x\n\n");
        Assert.Equal([(1, F("a", "b,c", "say \"hi\"")), (2, F("multi\nline", "x"))], records);
    }

    [Fact]
    public void Empty_fields_stay_empty_and_empty_lines_are_not_records()
    {
        Assert.Equal([(2, F("", "", "")), (4, F("\"\"", ""))], Read("\n,,\n\n\"\"\"\"\"\",\"\""));
    }

    [Fact]
    public void Without_trimming_whitespace_is_data_and_with_it_only_quoted_whitespace_is_kept()
    {
        Assert.Equal([(1, F(" a ", "\tb")), (2, F("  "))], Read(" a ,\tb\n  \n"));
        Assert.Equal([(1, F("a", " b "))], Read(" a , \" b \"\n  \n", trim: true));
    }

    [Fact]
    public void A_quote_inside_an_unquoted_field_is_an_ordinary_character()
    {
        Assert.Equal([(1, F("5\" disk", "x"))], Read("5\" disk,x"));
    }

    [Fact]
    public void Any_delimiter_splits_and_a_comma_is_then_data()
    {
        Assert.Equal([(1, F("a,b", "c")), (2, F("d", "e;f"))], Read("a,b;c\nd;\"e;f\"\n", delimiter: ';'));
    }

    [Fact]
    public void A_byte_order_mark_at_the_start_is_not_part_of_the_first_field()
    {
        Assert.Equal([(1, F("Date", "Open"))], Read("\uFEFFDate,Open"));
    }

    [Fact]
    public void An_unclosed_quote_names_the_source_and_the_line_where_the_record_started()
    {
        var error = Assert.Throws<CsvFormatException>(() => Read("a,b\n\"open,\nstill open\n", source: "s3://b/k.csv"));
        Assert.Equal("s3://b/k.csv line 2: a quoted field is not closed before the end of the text", error.Message);
    }

    [Fact]
    public void A_quote_or_line_break_cannot_be_the_delimiter()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CsvReader(new StringReader(""), '"'));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("a,b")]
    [InlineData("say \"hi\"")]
    [InlineData("two\nlines")]
    [InlineData(" padded ")]
    [InlineData("\ttab")]
    public void Escaped_fields_read_back_as_written_even_by_the_trimming_reader(string field)
    {
        var line = CsvText.Escape(field) + ",x";
        Assert.Equal([(1, F(field, "x"))], Read(line, trim: true));
        Assert.Equal([(1, F(field, "x"))], Read(line));
    }

    [Fact]
    public void Null_and_empty_escape_to_an_empty_field()
    {
        Assert.Equal("", CsvText.Escape(null));
        Assert.Equal("", CsvText.Escape(""));
    }

    private static List<(int, string)> Read(string csv, char delimiter = ',', bool trim = false, string? source = null) =>
        CsvReader.ReadRecords(new StringReader(csv), delimiter, trim, source).Select(r => (r.LineNumber, F([.. r.Fields]))).ToList();

    // Fields joined with a character none of the tests uses, so records compare by value.
    private static string F(params string[] fields) => string.Join('␟', fields);
}
