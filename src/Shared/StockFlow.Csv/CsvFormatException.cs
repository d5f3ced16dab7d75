namespace StockFlow.Csv;

/// <summary>The text is not CSV we can read: an unclosed quote, a missing or malformed header, a record of the wrong width.</summary>
public sealed class CsvFormatException(string message) : Exception(message);
