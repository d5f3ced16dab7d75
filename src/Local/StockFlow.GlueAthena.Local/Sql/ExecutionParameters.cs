namespace StockFlow.GlueAthena.Local.Sql;

/// <summary>
/// Athena ExecutionParameters arrive as SQL literals (e.g. <c>'2020-01-01'</c>). Locally we bind their values,
/// never paste them into the SQL, so only string literals are accepted.
/// </summary>
public static class ExecutionParameters
{
    /// <summary>Strips the quotes of each string literal ('' unescapes to ').</summary>
    /// <exception cref="ArgumentException">A parameter is not a single-quoted SQL string literal.</exception>
    public static IReadOnlyList<string> ParseStringLiterals(IReadOnlyList<string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var values = new string[parameters.Count];
        for (var i = 0; i < parameters.Count; i++)
        {
            values[i] = ParseStringLiteral(parameters[i], i + 1);
        }

        return values;
    }

    private static string ParseStringLiteral(string? literal, int position)
    {
        var text = literal?.Trim();
        if (text is null || text.Length < 2 || text[0] != '\'' || text[^1] != '\'')
        {
            throw new ArgumentException(
                $"Execution parameter {position} ({Show(literal)}) is not a SQL string literal; expected a quoted value such as '2020-01-01'.");
        }

        var body = text[1..^1];
        var value = new System.Text.StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != '\'')
            {
                value.Append(body[i]);
                continue;
            }

            if (i + 1 < body.Length && body[i + 1] == '\'')
            {
                value.Append('\'');
                i++;
                continue;
            }

            throw new ArgumentException(
                $"Execution parameter {position} ({Show(literal)}) has an unescaped quote inside the literal; it must be exactly one string literal.");
        }

        return value.ToString();
    }

    private static string Show(string? literal) => literal is null ? "null" : "\"" + literal + "\"";
}
