namespace StockFlow.Csv;

/// <summary>Writing CSV fields the way <see cref="CsvReader"/> reads them back.</summary>
public static class CsvText
{
    /// <summary>
    /// Quotes a field when it holds a comma, quote or line break, or starts or ends with whitespace (which a trimming
    /// reader would drop); null is an empty field.
    /// </summary>
    public static string Escape(string? field)
    {
        if (string.IsNullOrEmpty(field))
            return string.Empty;
        var needsQuotes = field.AsSpan().IndexOfAny(",\"\r\n") >= 0
            || CsvReader.Whitespace.Contains(field[0], StringComparison.Ordinal)
            || CsvReader.Whitespace.Contains(field[^1], StringComparison.Ordinal);
        return needsQuotes ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }
}
