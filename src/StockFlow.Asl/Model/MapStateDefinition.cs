using System.Text.Json.Nodes;

namespace StockFlow.Asl.Model;

public enum MapMode
{
    Inline,
    Distributed,
}

/// <summary>A Map state, inline or distributed (ItemReader, ItemBatcher, ResultWriter, failure tolerance).</summary>
public sealed class MapStateDefinition : ResultStateDefinition
{
    internal MapStateDefinition(string name, DefinitionReader r) : base(name, r)
    {
        var processorJson = r.Object("ItemProcessor") ?? r.Object("Iterator")
            ?? throw new AslDefinitionException(r.Pointer, $"Map state '{name}' needs 'ItemProcessor' (or 'Iterator').");
        var processorPointer = r.Child(r.Has("ItemProcessor") ? "ItemProcessor" : "Iterator");
        Processor = StateMachineDefinition.FromJson(processorJson, processorPointer, r.MachineJsonata);
        var config = new DefinitionReader(processorJson, processorPointer).Object("ProcessorConfig");
        if (config is not null)
        {
            var cr = new DefinitionReader(config, processorPointer + "/ProcessorConfig");
            var mode = cr.String("Mode") ?? "INLINE";
            Mode = mode switch
            {
                "INLINE" => MapMode.Inline,
                "DISTRIBUTED" => MapMode.Distributed,
                _ => throw new AslDefinitionException(cr.Child("Mode"), "'Mode' must be INLINE or DISTRIBUTED."),
            };
            ExecutionType = cr.String("ExecutionType");
            if (ExecutionType is not null and not "STANDARD" and not "EXPRESS")
                throw new AslDefinitionException(cr.Child("ExecutionType"), "'ExecutionType' must be STANDARD or EXPRESS.");
        }

        ItemsPath = r.Jsonata ? PathField.Default : r.Path("ItemsPath");
        Items = r.Jsonata ? r.Raw("Items") : null;
        ItemSelector = r.Raw("ItemSelector") ?? (r.Jsonata ? null : r.Raw("Parameters"));
        var (maxConcurrency, maxConcurrencyExpression) = r.IntegerOrExpression("MaxConcurrency", 0);
        MaxConcurrency = maxConcurrency ?? 0;
        MaxConcurrencyExpression = maxConcurrencyExpression;
        MaxConcurrencyPath = r.String("MaxConcurrencyPath");
        (ToleratedFailurePercentage, ToleratedFailurePercentageExpression) = r.NumberOrExpression("ToleratedFailurePercentage");
        if (ToleratedFailurePercentage is < 0 or > 100)
            throw new AslDefinitionException(r.Child("ToleratedFailurePercentage"), "'ToleratedFailurePercentage' must be between 0 and 100.");
        ToleratedFailurePercentagePath = r.String("ToleratedFailurePercentagePath");
        (ToleratedFailureCount, ToleratedFailureCountExpression) = r.IntegerOrExpression("ToleratedFailureCount", 0);
        ToleratedFailureCountPath = r.String("ToleratedFailureCountPath");
        Label = r.String("Label");

        var reader = r.Object("ItemReader");
        if (reader is not null) ItemReader = ItemReaderDefinition.Parse(new DefinitionReader(reader, r.Child("ItemReader")));
        var batcher = r.Object("ItemBatcher");
        if (batcher is not null) ItemBatcher = ItemBatcherDefinition.Parse(new DefinitionReader(batcher, r.Child("ItemBatcher")));
        var writer = r.Object("ResultWriter");
        if (writer is not null) ResultWriter = ResultWriterDefinition.Parse(new DefinitionReader(writer, r.Child("ResultWriter")));
    }

    public StateMachineDefinition Processor { get; }

    public MapMode Mode { get; }

    public string? ExecutionType { get; }

    public PathField ItemsPath { get; }

    /// <summary>ItemSelector, or the older Parameters field.</summary>
    public JsonNode? ItemSelector { get; }

    /// <summary>0 = no limit.</summary>
    public int MaxConcurrency { get; }

    public string? MaxConcurrencyPath { get; }

    /// <summary>JSONata: the items to iterate (an array, or an expression giving one); absent means the state input.</summary>
    public JsonNode? Items { get; }

    public string? MaxConcurrencyExpression { get; }

    public string? ToleratedFailurePercentageExpression { get; }

    public string? ToleratedFailureCountExpression { get; }

    public double? ToleratedFailurePercentage { get; }

    public string? ToleratedFailurePercentagePath { get; }

    public int? ToleratedFailureCount { get; }

    public string? ToleratedFailureCountPath { get; }

    public string? Label { get; }

    public ItemReaderDefinition? ItemReader { get; }

    public ItemBatcherDefinition? ItemBatcher { get; }

    public ResultWriterDefinition? ResultWriter { get; }
}

public sealed record ItemReaderDefinition(
    string Resource,
    JsonNode? Parameters,
    string? InputType,
    string CsvHeaderLocation,
    IReadOnlyList<string>? CsvHeaders,
    string CsvDelimiter,
    int? MaxItems,
    string? MaxItemsPath)
{
    internal static ItemReaderDefinition Parse(DefinitionReader r)
    {
        var resource = r.RequiredString("Resource");
        var config = r.Object("ReaderConfig");
        string? inputType = null;
        var headerLocation = "FIRST_ROW";
        IReadOnlyList<string>? headers = null;
        var delimiter = ",";
        int? maxItems = null;
        string? maxItemsPath = null;
        if (config is not null)
        {
            var cr = new DefinitionReader(config, r.Child("ReaderConfig"));
            inputType = cr.String("InputType");
            if (inputType is not null and not "CSV" and not "JSON" and not "JSONL" and not "MANIFEST")
                throw new AslDefinitionException(cr.Child("InputType"), "'InputType' must be CSV, JSON, JSONL or MANIFEST.");
            headerLocation = cr.String("CSVHeaderLocation") ?? "FIRST_ROW";
            if (headerLocation is not "FIRST_ROW" and not "GIVEN")
                throw new AslDefinitionException(cr.Child("CSVHeaderLocation"), "'CSVHeaderLocation' must be FIRST_ROW or GIVEN.");
            if (cr.Has("CSVHeaders")) headers = cr.StringList("CSVHeaders");
            if (headerLocation == "GIVEN" && headers is null)
                throw new AslDefinitionException(cr.Child("CSVHeaders"), "'CSVHeaders' is required when CSVHeaderLocation is GIVEN.");
            delimiter = cr.String("CSVDelimiter") switch
            {
                null or "COMMA" => ",",
                "PIPE" => "|",
                "SEMICOLON" => ";",
                "SPACE" => " ",
                "TAB" => "\t",
                var other => throw new AslDefinitionException(cr.Child("CSVDelimiter"), $"Unknown CSVDelimiter '{other}'."),
            };
            maxItems = cr.Integer("MaxItems", 0);
            maxItemsPath = cr.String("MaxItemsPath");
        }

        return new ItemReaderDefinition(resource, r.Raw("Parameters"), inputType, headerLocation, headers, delimiter, maxItems, maxItemsPath);
    }
}

public sealed record ItemBatcherDefinition(
    int? MaxItemsPerBatch,
    string? MaxItemsPerBatchPath,
    int? MaxInputBytesPerBatch,
    string? MaxInputBytesPerBatchPath,
    JsonNode? BatchInput)
{
    internal static ItemBatcherDefinition Parse(DefinitionReader r)
    {
        var d = new ItemBatcherDefinition(
            r.Integer("MaxItemsPerBatch", 1), r.String("MaxItemsPerBatchPath"),
            r.Integer("MaxInputBytesPerBatch", 1), r.String("MaxInputBytesPerBatchPath"),
            r.Raw("BatchInput"));
        if (d.MaxItemsPerBatch is null && d.MaxItemsPerBatchPath is null && d.MaxInputBytesPerBatch is null && d.MaxInputBytesPerBatchPath is null)
            throw new AslDefinitionException(r.Pointer, "ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch.");
        return d;
    }
}

public sealed record ResultWriterDefinition(string Resource, JsonNode? Parameters)
{
    internal static ResultWriterDefinition Parse(DefinitionReader r) => new(r.RequiredString("Resource"), r.Raw("Parameters"));
}
