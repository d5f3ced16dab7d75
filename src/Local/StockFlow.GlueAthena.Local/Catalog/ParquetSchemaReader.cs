using System.Globalization;
using StockFlow.GlueAthena.Local.DuckDb;

namespace StockFlow.GlueAthena.Local.Catalog;

/// <summary>
/// Reads Parquet schemas and row counts with DuckDB, opened only if a Parquet dataset is crawled. A dataset's files are
/// read in bulk first (<see cref="Prefetch"/>: footers only, one DESCRIBE per distinct schema), since a query per file
/// made crawling the thousands of small files of an incremental curated table take seconds.
/// </summary>
internal sealed class ParquetSchemaReader : IDisposable
{
    private readonly Dictionary<string, FileSchema> known = new(StringComparer.Ordinal);
    private DuckDbEngine? engine;

    /// <summary>A file whose schema and row count the caller knows (it just wrote it): it is not read.</summary>
    public void Know(string file, FileSchema schema) => known[file] = schema;

    public FileSchema Read(string file)
    {
        if (known.TryGetValue(file, out var schema))
        {
            return schema;
        }

        var source = Source(file);
        return new FileSchema(false, Describe(source), Engine.ScalarLong($"SELECT count(*) FROM {source}"));
    }

    /// <summary>Reads the row counts and schemas of <paramref name="files"/> from their footers in a few queries.</summary>
    /// <remarks>A file DuckDB cannot read makes the bulk read fail: then each file is read alone and the bad one reported.</remarks>
    public void Prefetch(IReadOnlyCollection<string> files)
    {
        files = files.Where(f => !known.ContainsKey(f)).ToArray();
        if (files.Count < 2)
        {
            return;
        }

        var list = SqlText.LiteralList(files);
        try
        {
            var counts = Engine.Rows($"""
                    SELECT file_name, CAST(sum(row_group_num_rows) AS BIGINT)
                    FROM (SELECT DISTINCT file_name, row_group_id, row_group_num_rows FROM parquet_metadata({list}))
                    GROUP BY file_name
                    """)
                .ToDictionary(r => (string)r[0]!, r => Convert.ToInt64(r[1] ?? 0L, CultureInfo.InvariantCulture), StringComparer.Ordinal);
            // Files whose footers list the same columns share one DESCRIBE.
            var fingerprints = Engine.Rows($"""
                    WITH s AS (SELECT *, row_number() OVER () AS position FROM parquet_schema({list}))
                    SELECT file_name,
                           string_agg(concat_ws(':', name, type, converted_type, logical_type, repetition_type, num_children), '|' ORDER BY position)
                    FROM s GROUP BY file_name
                    """)
                .ToDictionary(r => (string)r[0]!, r => (string?)r[1] ?? "", StringComparer.Ordinal);
            var columnsByFingerprint = new Dictionary<string, IReadOnlyList<GlueColumn>>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                if (!counts.TryGetValue(file, out var rows) || !fingerprints.TryGetValue(file, out var fingerprint))
                {
                    continue;
                }

                if (!columnsByFingerprint.TryGetValue(fingerprint, out var columns))
                {
                    columns = Describe(Source(file));
                    columnsByFingerprint[fingerprint] = columns;
                }

                known[file] = new FileSchema(false, columns, rows);
            }
        }
        catch (DuckDB.NET.Data.DuckDBException)
        {
            // Read one by one, so the error names the file.
        }
    }

    public void Dispose() => engine?.Dispose();

    private DuckDbEngine Engine => engine ??= DuckDbEngine.Open();

    private static string Source(string file) => $"read_parquet({SqlText.Literal(file)}, hive_partitioning = false)";

    private GlueColumn[] Describe(string source) =>
        Engine.Rows($"DESCRIBE SELECT * FROM {source}")
            .Select(r => new GlueColumn((string)r[0]!, GlueTypes.FromDuckDb((string)r[1]!)))
            .ToArray();
}
