namespace StockFlow.GlueAthena.Local.Catalog;

/// <summary>Outcome of fitting newly crawled columns to a table's existing schema.</summary>
public sealed record SchemaMerge(IReadOnlyList<GlueColumn> Columns, bool NewVersion, IReadOnlyList<SchemaChange> Changes);

/// <summary>Pure schema rules: union across files, and the compatible/incompatible decision against the table.</summary>
public static class SchemaMerger
{
    /// <summary>One schema for a dataset: columns in order of first appearance, types widened across files.</summary>
    public static IReadOnlyList<GlueColumn> Union(IEnumerable<IReadOnlyList<GlueColumn>> schemas)
    {
        var order = new List<string>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var schema in schemas)
        {
            foreach (var column in schema)
            {
                if (types.TryGetValue(column.Name, out var type))
                {
                    types[column.Name] = GlueTypes.Widen(type, column.Type) ?? GlueTypes.String;
                }
                else
                {
                    order.Add(column.Name);
                    types[column.Name] = column.Type;
                }
            }
        }

        return order.Select(n => new GlueColumn(n, types[n])).ToArray();
    }

    /// <summary>
    /// Added columns are appended, and a column whose data now needs a wider numeric type (bigint -> double) is widened:
    /// each is a new version, so values are never read truncated (10.25 as 10). Any other column whose data no longer
    /// fits its table type is an incompatible change: reported, and the table keeps its type (partitions inherit the
    /// table schema).
    /// </summary>
    public static SchemaMerge FitToTable(string tableName, IReadOnlyList<GlueColumn> table, IReadOnlyList<GlueColumn> crawled)
    {
        var changes = new List<SchemaChange>();
        var columns = table.ToList();
        var widened = false;
        var crawledByName = crawled.ToDictionary(c => c.Name, StringComparer.Ordinal);
        for (var i = 0; i < table.Count; i++)
        {
            var existing = table[i];
            if (!crawledByName.TryGetValue(existing.Name, out var found))
            {
                changes.Add(new SchemaChange(tableName, SchemaChangeKind.ColumnMissing,
                    $"column '{existing.Name}' ({existing.Type}) is not in the crawled data; kept in the table"));
            }
            else if (GlueTypes.Fits(found.Type, existing.Type))
            {
                continue;
            }
            else if (GlueTypes.Widen(existing.Type, found.Type) is { } wider && wider != GlueTypes.String)
            {
                columns[i] = existing with { Type = wider };
                widened = true;
                changes.Add(new SchemaChange(tableName, SchemaChangeKind.TypeWidened,
                    $"column '{existing.Name}' widened from {existing.Type} to {wider} (the data holds {found.Type} values)"));
            }
            else
            {
                changes.Add(new SchemaChange(tableName, SchemaChangeKind.Incompatible,
                    $"column '{existing.Name}' is {existing.Type} in the table but {found.Type} in the data; table type kept"));
            }
        }

        var tableNames = table.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var added in crawled.Where(c => !tableNames.Contains(c.Name)))
        {
            columns.Add(added);
            changes.Add(new SchemaChange(tableName, SchemaChangeKind.ColumnAdded, $"column '{added.Name}' ({added.Type}) added"));
        }

        return new SchemaMerge(columns, widened || columns.Count != table.Count, changes);
    }
}
