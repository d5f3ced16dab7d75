namespace StockFlow.GlueAthena.Local.Results;

/// <summary>A column of a query result: its name and DuckDB type name (e.g. VARCHAR, DOUBLE, DATE).</summary>
public sealed record ResultColumn(string Name, string Type);

/// <summary>A fully read query result. Values are CLR values (string, double, long, DateOnly, ...) or null.</summary>
public sealed record ResultSet(IReadOnlyList<ResultColumn> Columns, IReadOnlyList<object?[]> Rows);
