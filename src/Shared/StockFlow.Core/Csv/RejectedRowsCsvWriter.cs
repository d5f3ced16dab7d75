using System.Globalization;
using StockFlow.Core.Prices;
using StockFlow.Csv;

namespace StockFlow.Core.Csv;

/// <summary>
/// Writes quarantined rows: the original fields exactly as they arrived (a missing field stays empty),
/// then the reason and where the row came from.
/// </summary>
public static class RejectedRowsCsvWriter
{
    /// <summary>Writes the quarantine header and one row per rejection, with <c>\n</c> line ends.</summary>
    public static void Write(TextWriter writer, IEnumerable<Rejection> rejections)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rejections);
        writer.Write(PriceCsvFormat.RejectedHeader);
        writer.Write('\n');
        foreach (var rejection in rejections)
        {
            var row = rejection.Row;
            string?[] fields = [row.Date, row.Open, row.High, row.Low, row.Close, row.AdjClose, row.Volume, rejection.Reason, row.Source];
            writer.Write(string.Join(',', fields.Select(CsvText.Escape)));
            writer.Write('\n');
        }
    }

    /// <summary>The file <see cref="Write"/> writes, as text.</summary>
    public static string WriteString(IEnumerable<Rejection> rejections)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer, rejections);
        return writer.ToString();
    }
}
