namespace StockFlow.Core.Prices;

/// <summary>What an empty or <c>null</c> volume means.</summary>
public enum MissingVolumePolicy
{
    /// <summary>
    /// Accept the row with volume 0 (the default). Indices, FX pairs and Stooq index files often carry no volume,
    /// and no metric uses volume, so rejecting would quarantine whole series for a column nobody reads.
    /// Prices are never treated this way: a missing price always rejects the row.
    /// </summary>
    TreatAsZero,

    /// <summary>Reject the row with the reason "volume is missing".</summary>
    Reject,
}
