namespace StockFlow.Core.Prices;

/// <summary>
/// One validated trading day. <see cref="AdjClose"/> stays null when the source had none:
/// the transform applies <c>coalesce(adj_close, close)</c>, so the raw data keeps the difference
/// between "no adjusted close" and "adjusted close equal to close".
/// </summary>
public sealed record DailyBar(
    DateOnly Date,
    double Open,
    double High,
    double Low,
    double Close,
    double? AdjClose,
    long Volume)
{
    /// <summary>The price the metrics use: the adjusted close, or the close when there is none.</summary>
    public double EffectiveAdjClose => AdjClose ?? Close;
}
