namespace StockFlow.Core.Sample;

/// <summary>The per-symbol parameters of the simulation, drawn once from the symbol's own seed.</summary>
internal sealed record SymbolProfile(
    double StartPrice,
    double AnnualDrift,
    double AnnualVolatility,
    double LogVolumeMean,
    bool PaysDividends,
    double QuarterlyYield)
{
    public static SymbolProfile Draw(DeterministicRandom random) => new(
        StartPrice: Math.Round(random.NextDouble(15, 250), 2),
        AnnualDrift: random.NextDouble(-0.02, 0.14),
        AnnualVolatility: random.NextDouble(0.14, 0.48),
        LogVolumeMean: random.NextDouble(Math.Log(200_000), Math.Log(40_000_000)),
        PaysDividends: random.NextDouble() < 0.6,
        QuarterlyYield: random.NextDouble(0.002, 0.008));
}
