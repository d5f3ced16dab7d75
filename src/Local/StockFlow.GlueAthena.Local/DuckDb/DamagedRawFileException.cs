using System.Globalization;

namespace StockFlow.GlueAthena.Local.DuckDb;

/// <summary>
/// A raw price file differs from the digest the ingest recorded when it wrote it (truncated or changed since): the
/// transform stops rather than read half a file. The next ingest of the symbol re-fetches the damaged year.
/// </summary>
public sealed class DamagedRawFileException : IOException
{
    public DamagedRawFileException(string symbol, string path, long length, long expectedLength)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"Raw price file '{path}' is damaged: {length} bytes, but {expectedLength} bytes with another content hash were written. The next ingest of {symbol} re-fetches that year (stockflow run --symbols {symbol} --from <year>-01-01); or delete the file."))
    {
        Symbol = symbol;
        Path = path;
    }

    public DamagedRawFileException()
    {
        Symbol = "";
        Path = "";
    }

    public DamagedRawFileException(string message)
        : base(message)
    {
        Symbol = "";
        Path = "";
    }

    public DamagedRawFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Symbol = "";
        Path = "";
    }

    public string Symbol { get; }

    public string Path { get; }
}
