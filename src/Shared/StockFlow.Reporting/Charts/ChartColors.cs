namespace StockFlow.Reporting.Charts;

/// <summary>One palette for the whole report so a series keeps its meaning across charts.</summary>
internal static class ChartColors
{
    public const string Price = "#1f4e79";
    public const string Ma20 = "#f28e2b";
    public const string Ma50 = "#59a14f";
    public const string Ma200 = "#b6407d";
    public const string Volatility = "#4e79a7";
    public const string Gain = "#2e8b57";
    public const string Loss = "#c0392b";
    public const string Index = "#1f4e79";
    public const string Breadth = "#f28e2b";
}
