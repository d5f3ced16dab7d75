using System.Text;

namespace StockFlow.Csv.Tests;

/// <summary>
/// The CSV reader splits lines itself (no string per line); these pin it to what <see cref="TextReader.ReadLine"/>
/// does, including line ends that fall on its buffer's boundary and lines longer than the buffer.
/// </summary>
public class CsvLineSplittingTests
{
    [Theory]
    [InlineData("a,b\nc,d\n")]
    [InlineData("a,b\r\nc,d")]
    [InlineData("a,b\rc,d\r")]
    [InlineData("a,b\r\n\r\n\rc,d\n\n")]
    [InlineData("\n\na\n")]
    [InlineData("a")]
    public void Records_and_their_line_numbers_match_reading_line_by_line(string csv)
    {
        Assert.Equal(Reference(csv), Read(csv));
    }

    [Fact]
    public void Line_ends_on_every_buffer_boundary_and_lines_longer_than_the_buffer_split_as_read_line_splits_them()
    {
        var random = new Random(42);
        string[] ends = ["\n", "\r", "\r\n", "\r\n\r\n", "\n\r"];
        foreach (var shift in Enumerable.Range(0, 12))
        {
            var csv = new StringBuilder(new string('x', shift));
            while (csv.Length < 40_000)
            {
                var width = random.Next(10) == 0 ? random.Next(9_000, 20_000) : random.Next(0, 90);
                csv.Append(string.Join(',', Enumerable.Range(0, 1 + (width / 10)).Select(i => new string((char)('a' + (i % 26)), Math.Min(10, width)))));
                csv.Append(ends[random.Next(ends.Length)]);
            }

            var text = csv.ToString();
            Assert.Equal(Reference(text), Read(text));
        }
    }

    private static List<(int Line, string Fields)> Read(string csv) =>
        CsvReader.ReadRecords(new StringReader(csv), trimUnquoted: true).Select(r => (r.LineNumber, string.Join('|', r.Fields))).ToList();

    // What the reader did before it split lines itself: ReadLine, skip blank lines, split unquoted lines at commas.
    private static List<(int Line, string Fields)> Reference(string csv)
    {
        var records = new List<(int, string)>();
        using var reader = new StringReader(csv);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Trim().Length > 0)
                records.Add((number, string.Join('|', line.Split(',').Select(f => f.Trim()))));
        }
        return records;
    }
}
