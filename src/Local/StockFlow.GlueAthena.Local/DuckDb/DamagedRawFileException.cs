using System.Globalization;

namespace StockFlow.GlueAthena.Local.DuckDb;

/// <summary>
/// A raw price file differs from the digest the ingest recorded when it wrote it (truncated or changed since): the
/// transform stops rather than read half a file. The next ingest of the symbol re-fetches the damaged year.
/// </summary>
public sealed class DamagedRawFileException : IOException
{
    /// <summary>The file at <paramref name="path"/> has <paramref name="length"/> bytes where the ingest wrote <paramref name="expectedLength"/> (or the same length with another hash).</summary>
    public DamagedRawFileException(string symbol, string path, long length, long expectedLength)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"Raw price file '{path}' is damaged: {length} bytes, but {expectedLength} bytes with another content hash were written. The next ingest of {symbol} re-fetches that year (stockflow run --symbols {symbol} --from <year>-01-01); or delete the file."))
    {
        Symbol = symbol;
        Path = path;
    }

    /// <summary>Without a message (for serializers and tests; the code always gives one).</summary>
    public DamagedRawFileException()
    {
        Symbol = "";
        Path = "";
    }

    /// <summary>With the sentence the user sees.</summary>
    public DamagedRawFileException(string message)
        : base(message)
    {
        Symbol = "";
        Path = "";
    }

    /// <summary>With the sentence the user sees and the error behind it.</summary>
    public DamagedRawFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Symbol = "";
        Path = "";
    }

    /// <summary>The symbol whose raw file is damaged; empty when built from a message only.</summary>
    public string Symbol { get; }

    /// <summary>The damaged file; empty when built from a message only.</summary>
    public string Path { get; }
}
