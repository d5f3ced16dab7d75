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
        if (reader is not null) ItemReader = ItemReaderDefinition.Parse(new DefinitionReader(reader, r.Child("ItemReader"), r.Jsonata));
        var batcher = r.Object("ItemBatcher");
        if (batcher is not null) ItemBatcher = ItemBatcherDefinition.Parse(new DefinitionReader(batcher, r.Child("ItemBatcher"), r.Jsonata));
        var writer = r.Object("ResultWriter");
        if (writer is not null) ResultWriter = ResultWriterDefinition.Parse(new DefinitionReader(writer, r.Child("ResultWriter"), r.Jsonata));
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

/// <summary>
/// ItemReader. JSONPath states give the bucket and key in <c>Parameters</c> (a payload template) and may give
/// <c>MaxItemsPath</c>; JSONata states give them in <c>Arguments</c> (an object of expressions, or one expression) and
/// may write <c>MaxItems</c> as an expression.
/// </summary>
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
    /// <summary>JSONata: the bucket and key (or prefix), evaluated when the state runs.</summary>
    public JsonNode? Arguments { get; init; }

    /// <summary>JSONata: ReaderConfig.MaxItems written as an expression.</summary>
    public string? MaxItemsExpression { get; init; }

    internal static ItemReaderDefinition Parse(DefinitionReader r)
    {
        var resource = r.RequiredString("Resource");
        var config = r.Object("ReaderConfig");
        string? inputType = null;
        var headerLocation = "FIRST_ROW";
        IReadOnlyList<string>? headers = null;
        var delimiter = ",";
        int? maxItems = null;
        string? maxItemsExpression = null;
        string? maxItemsPath = null;
        if (config is not null)
        {
            var cr = new DefinitionReader(config, r.Child("ReaderConfig"), r.Jsonata);
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
            (maxItems, maxItemsExpression) = cr.IntegerOrExpression("MaxItems", 0);
            maxItemsPath = r.Jsonata ? null : cr.String("MaxItemsPath");
        }

        return new ItemReaderDefinition(resource, r.Jsonata ? null : r.Raw("Parameters"), inputType, headerLocation, headers, delimiter, maxItems, maxItemsPath)
        {
            Arguments = r.Jsonata ? r.Raw("Arguments") : null,
            MaxItemsExpression = maxItemsExpression,
        };
    }
}

/// <summary>ItemBatcher. In JSONata states the limits may be expressions and BatchInput is a JSONata template.</summary>
public sealed record ItemBatcherDefinition(
    int? MaxItemsPerBatch,
    string? MaxItemsPerBatchPath,
    int? MaxInputBytesPerBatch,
    string? MaxInputBytesPerBatchPath,
    JsonNode? BatchInput)
{
    public string? MaxItemsPerBatchExpression { get; init; }

    public string? MaxInputBytesPerBatchExpression { get; init; }

    internal static ItemBatcherDefinition Parse(DefinitionReader r)
    {
        var (maxItems, maxItemsExpression) = r.IntegerOrExpression("MaxItemsPerBatch", 1);
        var (maxBytes, maxBytesExpression) = r.IntegerOrExpression("MaxInputBytesPerBatch", 1);
        var d = new ItemBatcherDefinition(
            maxItems, r.Jsonata ? null : r.String("MaxItemsPerBatchPath"),
            maxBytes, r.Jsonata ? null : r.String("MaxInputBytesPerBatchPath"),
            r.Raw("BatchInput"))
        {
            MaxItemsPerBatchExpression = maxItemsExpression,
            MaxInputBytesPerBatchExpression = maxBytesExpression,
        };
        if (d.MaxItemsPerBatch is null && d.MaxItemsPerBatchPath is null && d.MaxInputBytesPerBatch is null && d.MaxInputBytesPerBatchPath is null
            && maxItemsExpression is null && maxBytesExpression is null)
        {
            throw new AslDefinitionException(r.Pointer, "ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch.");
        }

        return d;
    }
}

/// <summary>How ResultWriter shapes the children's results (WriterConfig.Transformation).</summary>
public enum ResultTransformation
{
    /// <summary>Each child's metadata with its output (the default when results go to S3).</summary>
    None,

    /// <summary>The outputs alone (the default without a ResultWriter).</summary>
    Compact,

    /// <summary>The outputs, arrays spliced into one array.</summary>
    Flatten,
}

/// <summary>
/// ResultWriter: Resource with Parameters (JSONPath) or Arguments (JSONata) writes the results to S3; WriterConfig
/// (Transformation, OutputType) shapes them; WriterConfig alone returns the shaped results as the state's result.
/// </summary>
public sealed record ResultWriterDefinition(string? Resource, JsonNode? Parameters)
{
    public JsonNode? Arguments { get; init; }

    public bool HasWriterConfig { get; init; }

    public ResultTransformation Transformation { get; init; } = ResultTransformation.None;

    /// <summary>JSON (an array per file) or JSONL (one result a line).</summary>
    public string OutputType { get; init; } = "JSON";

    /// <summary>Results go to the object store (Resource given); otherwise only WriterConfig shapes the state's result.</summary>
    public bool WritesToStore => Resource is not null;

    internal static ResultWriterDefinition Parse(DefinitionReader r)
    {
        var config = r.Object("WriterConfig");
        var resource = config is null ? r.RequiredString("Resource") : r.String("Resource");
        var target = r.Jsonata ? r.Raw("Arguments") : r.Raw("Parameters");
        if (resource is not null && target is null)
            throw new AslDefinitionException(r.Pointer, $"ResultWriter needs '{(r.Jsonata ? "Arguments" : "Parameters")}' with the Bucket and Prefix when it has a Resource.");
        if (resource is null && target is not null)
            throw new AslDefinitionException(r.Child("Resource"), "'Resource' is required when ResultWriter names a bucket.");
        var transformation = ResultTransformation.None;
        var outputType = "JSON";
        if (config is not null)
        {
            var cr = new DefinitionReader(config, r.Child("WriterConfig"));
            transformation = cr.String("Transformation") switch
            {
                null => resource is null ? ResultTransformation.Compact : ResultTransformation.None,
                "NONE" => ResultTransformation.None,
                "COMPACT" => ResultTransformation.Compact,
                "FLATTEN" => ResultTransformation.Flatten,
                var other => throw new AslDefinitionException(cr.Child("Transformation"), $"'Transformation' must be NONE, COMPACT or FLATTEN, not '{other}'."),
            };
            outputType = cr.String("OutputType") ?? "JSON";
            if (outputType is not "JSON" and not "JSONL")
                throw new AslDefinitionException(cr.Child("OutputType"), $"'OutputType' must be JSON or JSONL, not '{outputType}'.");
        }

        return new ResultWriterDefinition(resource, r.Jsonata ? null : target)
        {
            Arguments = r.Jsonata ? target : null,
            HasWriterConfig = config is not null,
            Transformation = transformation,
            OutputType = outputType,
        };
    }
}
