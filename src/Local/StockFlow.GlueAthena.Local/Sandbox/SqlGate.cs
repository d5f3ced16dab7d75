using System.Globalization;
using System.Text.Json;

namespace StockFlow.GlueAthena.Local.Sandbox;

/// <summary>
/// Decides, with DuckDB's own parser (json_serialize_sql only serializes SELECT statements), whether a text is
/// exactly one read-only query; syntax errors come back with their position.
/// </summary>
internal static class SqlGate
{
    public static void RequireSingleSelect(string parserVerdictJson, string sql)
    {
        using var verdict = JsonDocument.Parse(parserVerdictJson);
        var root = verdict.RootElement;
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.True)
        {
            var type = root.TryGetProperty("error_type", out var t) ? t.GetString() : null;
            var message = root.TryGetProperty("error_message", out var m) ? m.GetString() : "invalid SQL";
            if (string.Equals(type, "parser", StringComparison.Ordinal))
            {
                throw SyntaxError(message ?? "syntax error", sql, Position(root));
            }

            throw new QueryRejectedException(
                $"Only read-only queries are allowed (SELECT, WITH ... SELECT, FROM, VALUES, DESCRIBE, SUMMARIZE); refused: {FirstWord(sql)}. ({message})");
        }

        var statements = root.TryGetProperty("statements", out var list) ? list.GetArrayLength() : 0;
        if (statements != 1)
        {
            throw new QueryRejectedException($"Exactly one statement is allowed; got {statements}.");
        }
    }

    public static QuerySqlException SyntaxError(string message, string sql, int? position)
    {
        if (position is not int offset || offset < 0 || offset > sql.Length)
        {
            return new QuerySqlException($"Syntax error: {message}");
        }

        var before = sql[..offset];
        var line = before.Count(c => c == '\n') + 1;
        var column = offset - (before.LastIndexOf('\n') + 1) + 1;
        return new QuerySqlException(
            string.Create(CultureInfo.InvariantCulture, $"Syntax error at line {line}, column {column} (position {offset}): {message}"),
            offset, line, column);
    }

    private static int? Position(JsonElement root)
    {
        if (!root.TryGetProperty("position", out var p))
        {
            return null;
        }

        var text = p.ValueKind == JsonValueKind.String ? p.GetString() : p.GetRawText();
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    private static string FirstWord(string sql)
    {
        var trimmed = sql.TrimStart();
        var end = trimmed.IndexOfAny([' ', '\t', '\r', '\n', '(', ';']);
        return (end < 0 ? trimmed : trimmed[..end]).ToUpperInvariant();
    }
}
