using System.Globalization;

namespace StockFlow.GlueAthena.Local.Catalog;

/// <summary>Glue column types the crawler infers from text, and how they widen when values disagree.</summary>
public static class GlueTypes
{
    public const string BigInt = "bigint";
    public const string Double = "double";
    public const string Date = "date";
    public const string String = "string";

    /// <summary>The narrowest type of one CSV value; null for an empty value (says nothing about the type).</summary>
    public static string? Of(string value)
    {
        var text = value.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            return BigInt;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return Double;
        }

        if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return Date;
        }

        return String;
    }

    /// <summary>The narrowest type both values fit (null = no evidence yet).</summary>
    public static string? Widen(string? a, string? b)
    {
        if (a is null)
        {
            return b;
        }

        if (b is null || a == b)
        {
            return a;
        }

        if ((a == BigInt && b == Double) || (a == Double && b == BigInt))
        {
            return Double;
        }

        return String;
    }

    /// <summary>True when every value of type <paramref name="data"/> can be read as <paramref name="table"/>.</summary>
    public static bool Fits(string data, string table) => Widen(data, table) == table;

    public static string ToDuckDb(string glueType) => glueType switch
    {
        BigInt => "BIGINT",
        Double => "DOUBLE",
        Date => "DATE",
        "int" => "INTEGER",
        "smallint" => "SMALLINT",
        "tinyint" => "TINYINT",
        "float" => "FLOAT",
        "boolean" => "BOOLEAN",
        "timestamp" => "TIMESTAMP",
        _ => "VARCHAR",
    };

    public static string FromDuckDb(string duckDbType) => duckDbType.ToUpperInvariant() switch
    {
        "BIGINT" or "HUGEINT" or "UBIGINT" or "UINTEGER" => BigInt,
        "INTEGER" or "USMALLINT" => "int",
        "SMALLINT" or "UTINYINT" => "smallint",
        "TINYINT" => "tinyint",
        "DOUBLE" => Double,
        "FLOAT" => "float",
        "BOOLEAN" => "boolean",
        "DATE" => Date,
        var t when t.StartsWith("TIMESTAMP", StringComparison.Ordinal) => "timestamp",
        var t when t.StartsWith("DECIMAL", StringComparison.Ordinal) => t.ToLowerInvariant(),
        _ => String,
    };
}
