using System.Text.RegularExpressions;

namespace StockFlow.GlueAthena.Local.Catalog;

/// <summary>Schema of one data file: columns (names and Glue types), whether it has a header, how many records.</summary>
public sealed record FileSchema(bool HasHeader, IReadOnlyList<GlueColumn> Columns, long RecordCount);

/// <summary>
/// Glue-like CSV classification: infers column types from a sample of records and decides whether the first
/// record is a header. Unlike Glue's built-in classifier it also recognises the header of an all-string file
/// (e.g. quarantined rows), when the first record looks like distinct column names that never occur as data.
/// </summary>
public static partial class CsvSchemaInference
{
    /// <summary>Records read for type inference by default (Glue's CSV classifier also samples the start of a file).</summary>
    public const int DefaultSampleSize = 1000;

    /// <summary>The schema of one CSV file: types from the first <paramref name="sampleSize"/> data records, all records counted.</summary>
    /// <param name="records">The file's records, split into fields.</param>
    /// <param name="sampleSize">How many data records decide the types.</param>
    public static FileSchema Infer(IEnumerable<string[]> records, int sampleSize = DefaultSampleSize)
    {
        ArgumentNullException.ThrowIfNull(records);
        string[]? first = null;
        var sample = new List<string[]>();
        long dataRecords = 0;
        foreach (var record in records)
        {
            if (first is null)
            {
                first = record;
                continue;
            }

            dataRecords++;
            if (sample.Count < sampleSize)
            {
                sample.Add(record);
            }
        }

        if (first is null)
        {
            return new FileSchema(false, [], 0);
        }

        var width = Math.Max(first.Length, sample.Count == 0 ? 0 : sample.Max(r => r.Length));
        var dataTypes = Enumerable.Range(0, width).Select(i => ColumnType(sample, i)).ToArray();
        var hasHeader = LooksLikeHeader(first, sample, dataTypes);
        if (hasHeader)
        {
            var names = ColumnNames(first, width);
            var columns = names.Select((n, i) => new GlueColumn(n, dataTypes[i] ?? GlueTypes.String)).ToArray();
            return new FileSchema(true, columns, dataRecords);
        }

        // The first record is data too.
        var allTypes = Enumerable.Range(0, width)
            .Select(i => GlueTypes.Widen(dataTypes[i], i < first.Length ? GlueTypes.Of(first[i]) : null) ?? GlueTypes.String)
            .ToArray();
        return new FileSchema(false, allTypes.Select((t, i) => new GlueColumn("col" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), t)).ToArray(), dataRecords + 1);
    }

    /// <summary>Glue-style column name: lower case, anything but letters, digits and '_' becomes '_'.</summary>
    public static string NormalizeName(string raw)
    {
        var name = NonWordRun().Replace(raw.Trim().ToLowerInvariant(), "_").Trim('_');
        return name.Length == 0 ? "_" : name;
    }

    private static string? ColumnType(List<string[]> sample, int index)
    {
        string? type = null;
        foreach (var record in sample)
        {
            if (index < record.Length)
            {
                type = GlueTypes.Widen(type, GlueTypes.Of(record[index]));
            }
        }

        return type;
    }

    private static bool LooksLikeHeader(string[] first, List<string[]> sample, string?[] dataTypes)
    {
        var names = first.Select(v => v.Trim()).ToArray();
        var namesAreDistinctLabels = names.All(n => n.Length > 0 && GlueTypes.Of(n) == GlueTypes.String && LabelPattern().IsMatch(n))
            && names.Distinct(StringComparer.OrdinalIgnoreCase).Count() == names.Length;
        if (!namesAreDistinctLabels)
        {
            return false;
        }

        // Glue's rule: a typed data column under a string in the first record means that record is a header.
        for (var i = 0; i < names.Length; i++)
        {
            if (dataTypes[i] is { } type && type != GlueTypes.String)
            {
                return true;
            }
        }

        // All-string data (or no data): a header only if no label appears as a value in its own column.
        for (var i = 0; i < names.Length; i++)
        {
            if (sample.Any(r => i < r.Length && string.Equals(r[i].Trim(), names[i], StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }

        return true;
    }

    private static string[] ColumnNames(string[] header, int width)
    {
        var names = new List<string>();
        for (var i = 0; i < width; i++)
        {
            var name = i < header.Length ? NormalizeName(header[i]) : "col" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var unique = name;
            for (var n = 2; names.Contains(unique, StringComparer.Ordinal); n++)
            {
                unique = name + "_" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            names.Add(unique);
        }

        return names.ToArray();
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_ .\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();

    [GeneratedRegex(@"[^a-z0-9_]+", RegexOptions.CultureInvariant)]
    private static partial Regex NonWordRun();
}
