namespace StockFlow.Core.Csv;

/// <summary>The raw price file layout: Yahoo's download format.</summary>
public static class PriceCsvFormat
{
    public const string Header = "Date,Open,High,Low,Close,Adj Close,Volume";

    public const string RejectedHeader = "Date,Open,High,Low,Close,Adj Close,Volume,Reason,Source";

    public static IReadOnlyList<string> Columns { get; } = ["Date", "Open", "High", "Low", "Close", "Adj Close", "Volume"];
}
