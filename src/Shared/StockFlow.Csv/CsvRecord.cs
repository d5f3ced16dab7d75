namespace StockFlow.Csv;

/// <summary>One CSV record and the line it started on (1-based).</summary>
public sealed record CsvRecord(int LineNumber, IReadOnlyList<string> Fields);
