using System.Text.Json;

namespace StockFlow.GlueAthena.Local.Results;

/// <summary>Writes a result as a JSON array of objects; numbers stay numbers (shortest round-trip), NULL is null.</summary>
public static class JsonResultWriter
{
    /// <summary>The whole result as one indented JSON array, one object per row with the columns as property names.</summary>
    public static void Write(Stream output, ResultSet result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        foreach (var row in result.Rows)
        {
            WriteRow(json, result.Columns, row);
        }

        json.WriteEndArray();
    }

    /// <summary>One row as a JSON object (for writers that stream rows).</summary>
    public static void WriteRow(Utf8JsonWriter json, IReadOnlyList<ResultColumn> columns, object?[] row)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(row);
        json.WriteStartObject();
        for (var i = 0; i < columns.Count; i++)
        {
            json.WritePropertyName(columns[i].Name);
            WriteValue(json, columns[i].Type, row[i]);
        }

        json.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter json, string type, object? value)
    {
        switch (value)
        {
            // DECIMAL arrives as DuckDB's exact text: keep it a JSON number, digit for digit.
            case string text when type.StartsWith("DECIMAL", StringComparison.Ordinal):
                json.WriteRawValue(text);
                break;
            case System.Numerics.BigInteger:
                json.WriteRawValue(ValueText.Format(value));
                break;
            case null or DBNull:
                json.WriteNullValue();
                break;
            case double d when double.IsFinite(d):
                json.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                json.WriteNumberValue(f);
                break;
            case long or int or short or sbyte or ulong or uint or ushort or byte:
                json.WriteRawValue(ValueText.Format(value));
                break;
            case decimal m:
                json.WriteNumberValue(m);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            default:
                // NaN/Infinity have no JSON number form; dates and text are strings.
                json.WriteStringValue(ValueText.Format(value));
                break;
        }
    }
}
