using System.Globalization;

namespace StockFlow.GlueAthena.Local.Catalog;

/// <summary>Glue column types the crawler infers from text, and how they widen when values disagree.</summary>
public static class GlueTypes
{
    /// <summary>A whole number (64-bit).</summary>
    public const string BigInt = "bigint";

    /// <summary>A finite number with a fraction or exponent; a bigint column widens to it.</summary>
    public const string Double = "double";

    /// <summary>An ISO date, <c>yyyy-MM-dd</c>.</summary>
    public const string Date = "date";

    /// <summary>Anything else, and the type two disagreeing types widen to.</summary>
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

    /// <summary>The DuckDB type that reads a column of <paramref name="glueType"/>; an unknown type reads as VARCHAR.</summary>
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

    /// <summary>The Glue type of a DuckDB (Parquet) column type, as Glue's crawler names it; an unknown type is <see cref="String"/>.</summary>
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
