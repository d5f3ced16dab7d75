namespace StockFlow.GlueAthena.Local.Transform;

/// <summary>How much of the curated table a transform recomputes (the pipeline runs <see cref="Incremental"/> unless a full rebuild is asked for).</summary>
public enum TransformMode
{
    /// <summary>Recompute every symbol from all raw files and rewrite the curated table.</summary>
    Full,

    /// <summary>
    /// Recompute only what changed since the last run (per the transform manifest): days appended to raw files are
    /// computed from the carried state and written as a small new file per symbol; a symbol whose earlier raw
    /// content changed is rebuilt whole. Without a manifest or a curated table it runs <see cref="Full"/>.
    /// </summary>
    Incremental,
}
