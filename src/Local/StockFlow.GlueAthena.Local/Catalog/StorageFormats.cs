namespace StockFlow.GlueAthena.Local.Catalog;

/// <summary>The Hive formats and SerDes Glue records for CSV and Parquet tables.</summary>
internal static class StorageFormats
{
    public static GlueStorageDescriptor Descriptor(string classification, IReadOnlyList<GlueColumn> columns, string location, bool csvHeader) =>
        classification == "parquet"
            ? new GlueStorageDescriptor(
                columns, location,
                "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                false,
                new GlueSerDeInfo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                    new Dictionary<string, string> { ["serialization.format"] = "1" }),
                new Dictionary<string, string> { ["classification"] = "parquet" })
            : new GlueStorageDescriptor(
                columns, location,
                "org.apache.hadoop.mapred.TextInputFormat",
                "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                false,
                new GlueSerDeInfo("org.apache.hadoop.hive.serde2.OpenCSVSerde",
                    new Dictionary<string, string> { ["separatorChar"] = ",", ["quoteChar"] = "\"" }),
                CsvParameters(csvHeader));

    private static Dictionary<string, string> CsvParameters(bool header)
    {
        var parameters = new Dictionary<string, string>
        {
            ["classification"] = "csv",
            ["delimiter"] = ",",
            ["areColumnsQuoted"] = "false",
        };
        if (header)
        {
            parameters["skip.header.line.count"] = "1";
        }

        return parameters;
    }
}
