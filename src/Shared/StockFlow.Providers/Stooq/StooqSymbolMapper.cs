namespace StockFlow.Providers.Stooq;

/// <summary>
/// Maps Yahoo-style tickers to Stooq's: lower case with a market suffix (AAPL → aapl.us, OCDO.L → ocdo.uk,
/// SAP.DE → sap.de, 7203.T → 7203.jp), indices by name (^GSPC → ^spx), FX without "=X" (EURUSD=X → eurusd),
/// futures as ".f" (GC=F → gc.f). Unknown suffixes pass through lower-cased; Stooq then answers "No data".
/// </summary>
public static class StooqSymbolMapper
{
    private static readonly Dictionary<string, string> Indices = new(StringComparer.Ordinal)
    {
        ["^GSPC"] = "^spx",
        ["^DJI"] = "^dji",
        ["^IXIC"] = "^ndq",
        ["^NDX"] = "^ndx",
        ["^GDAXI"] = "^dax",
        ["^FTSE"] = "^ftm",
        ["^N225"] = "^nkx",
        ["^HSI"] = "^hsi",
    };

    private static readonly Dictionary<string, string> Suffixes = new(StringComparer.Ordinal)
    {
        [".L"] = ".uk",
        [".DE"] = ".de",
        [".F"] = ".de",
        [".T"] = ".jp",
        [".HK"] = ".hk",
        [".BD"] = ".hu",
        [".WA"] = string.Empty,
    };

    /// <param name="symbol">A validated, upper-cased symbol.</param>
    public static string ToStooq(string symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (Indices.TryGetValue(symbol, out var index))
            return index;
        if (symbol.StartsWith('^'))
            return symbol.ToLowerInvariant();
        if (symbol.EndsWith("=X", StringComparison.Ordinal))
            return symbol[..^2].ToLowerInvariant();
        if (symbol.EndsWith("=F", StringComparison.Ordinal))
            return symbol[..^2].ToLowerInvariant() + ".f";
        var dot = symbol.LastIndexOf('.');
        if (dot > 0)
        {
            var suffix = symbol[dot..];
            return Suffixes.TryGetValue(suffix, out var stooqSuffix)
                ? symbol[..dot].ToLowerInvariant() + stooqSuffix
                : symbol.ToLowerInvariant();
        }
        return symbol.ToLowerInvariant() + ".us";
    }
}
