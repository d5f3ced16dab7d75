namespace StockFlow.GlueAthena.Local.DuckDb;

/// <summary>Quoting for the few values the adapters must inline (file paths in table functions, settings).</summary>
internal static class SqlText
{
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string LiteralList(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Literal)) + "]";

    /// <summary>A VARCHAR list literal that keeps its type when empty.</summary>
    public static string VarcharList(IEnumerable<string> values) => $"CAST({LiteralList(values)} AS VARCHAR[])";

    /// <summary>The shared SQL files may end with a semicolon; embedded in COPY (...) or CREATE ... AS they must not.</summary>
    public static string WithoutTrailingSemicolon(string sql)
    {
        var trimmed = sql.TrimEnd();
        while (trimmed.EndsWith(';'))
        {
            trimmed = trimmed[..^1].TrimEnd();
        }

        return trimmed;
    }
}
