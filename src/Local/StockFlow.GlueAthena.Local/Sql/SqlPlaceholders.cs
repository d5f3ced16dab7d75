namespace StockFlow.GlueAthena.Local.Sql;

/// <summary>Counts positional <c>?</c> placeholders outside string literals, quoted identifiers and comments.</summary>
public static class SqlPlaceholders
{
    /// <summary>The number of <c>?</c> the statement takes (the engine binds them by position).</summary>
    public static int Count(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var count = 0;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '\'' || c == '"')
            {
                i = SkipQuoted(sql, i, c);
            }
            else if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end + 1;
            }
            else if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
            }
            else
            {
                if (c == '?')
                {
                    count++;
                }

                i++;
            }
        }

        return count;
    }

    private static int SkipQuoted(string sql, int start, char quote)
    {
        var i = start + 1;
        while (i < sql.Length)
        {
            if (sql[i] == quote)
            {
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return sql.Length;
    }
}
