namespace StockFlow.Core.Csv;

/// <summary>The raw price file layout: Yahoo's download format.</summary>
public static class PriceCsvFormat
{
    /// <summary>The header of a raw price file.</summary>
    public const string Header = "Date,Open,High,Low,Close,Adj Close,Volume";

    /// <summary>The header of a quarantine file: the raw columns, then the reason and where the row came from.</summary>
    public const string RejectedHeader = "Date,Open,High,Low,Close,Adj Close,Volume,Reason,Source";

    /// <summary>The raw columns, in file order.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["Date", "Open", "High", "Low", "Close", "Adj Close", "Volume"];
}
