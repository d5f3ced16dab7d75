namespace StockFlow.GlueAthena.Local.Queries;

/// <summary>What an analysis query produced: its columns and how many rows were written.</summary>
public sealed record QueryResultInfo(IReadOnlyList<string> Columns, long RowCount);
