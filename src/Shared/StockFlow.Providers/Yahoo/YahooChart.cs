namespace StockFlow.Providers.Yahoo;

/// <summary>A chart response read into columns, before any date mapping. Null elements stay null.</summary>
internal sealed record YahooChart(
    string? Currency,
    string? ExchangeTimeZone,
    string? InstrumentType,
    long? RegularSessionEnd,
    IReadOnlyList<long> Timestamps,
    IReadOnlyList<double?> Open,
    IReadOnlyList<double?> High,
    IReadOnlyList<double?> Low,
    IReadOnlyList<double?> Close,
    IReadOnlyList<double?> Volume,
    IReadOnlyList<double?>? AdjClose,
    IReadOnlyList<YahooDividend> Dividends,
    IReadOnlyList<YahooSplit> Splits)
{
    public static YahooChart Empty { get; } = new(null, null, null, null, [], [], [], [], [], [], null, [], []);
}

internal sealed record YahooDividend(long Timestamp, double Amount);

internal sealed record YahooSplit(long Timestamp, double Numerator, double Denominator);
