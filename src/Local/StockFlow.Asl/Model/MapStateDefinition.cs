using System.Text.Json.Nodes;

namespace StockFlow.Asl.Model;

/// <summary>How a Map runs its iterations (<c>ItemProcessor.ProcessorConfig.Mode</c>).</summary>
public enum MapMode
{
    /// <summary>INLINE (the default): iterations run inside the execution and record their events in its history.</summary>
    Inline,
    /// <summary>DISTRIBUTED: each iteration is a child execution of a Map Run, with ItemReader, ItemBatcher, ResultWriter and failure tolerance.</summary>
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

    /// <summary>The machine each item runs through (<c>ItemProcessor</c>, or the older <c>Iterator</c>).</summary>
    public StateMachineDefinition Processor { get; }

    /// <summary>Inline or distributed; <see cref="MapMode.Inline"/> when <c>ProcessorConfig</c> names none.</summary>
    public MapMode Mode { get; }

    /// <summary>Distributed: <c>STANDARD</c> or <c>EXPRESS</c> child executions as written; null when absent. Both run the same way here.</summary>
    public string? ExecutionType { get; }

    /// <summary>JSONPath: where the item array is in the effective input (default <c>$</c>). Always <see cref="PathField.Default"/> in JSONata states (see <see cref="Items"/>).</summary>
    public PathField ItemsPath { get; }

    /// <summary>ItemSelector, or the older Parameters field.</summary>
    public JsonNode? ItemSelector { get; }

    /// <summary>0 = no limit.</summary>
    public int MaxConcurrency { get; }

    /// <summary>JSONPath: a reference path that gives <see cref="MaxConcurrency"/> when the state runs.</summary>
    public string? MaxConcurrencyPath { get; }

    /// <summary>JSONata: the items to iterate (an array, or an expression giving one); absent means the state input.</summary>
    public JsonNode? Items { get; }

    /// <summary>JSONata: <see cref="MaxConcurrency"/> as an expression.</summary>
    public string? MaxConcurrencyExpression { get; }

    /// <summary>JSONata: <see cref="ToleratedFailurePercentage"/> as an expression.</summary>
    public string? ToleratedFailurePercentageExpression { get; }

    /// <summary>JSONata: <see cref="ToleratedFailureCount"/> as an expression.</summary>
    public string? ToleratedFailureCountExpression { get; }

    /// <summary>Distributed: the share of failed items (0-100) the Map Run tolerates before it fails with <c>States.ExceedToleratedFailureThreshold</c>; null means none tolerated unless <see cref="ToleratedFailureCount"/> allows.</summary>
    public double? ToleratedFailurePercentage { get; }

    /// <summary>JSONPath: a reference path that gives <see cref="ToleratedFailurePercentage"/> when the state runs.</summary>
    public string? ToleratedFailurePercentagePath { get; }

    /// <summary>Distributed: the number of failed items the Map Run tolerates; null means none unless <see cref="ToleratedFailurePercentage"/> allows.</summary>
    public int? ToleratedFailureCount { get; }

    /// <summary>JSONPath: a reference path that gives <see cref="ToleratedFailureCount"/> when the state runs.</summary>
    public string? ToleratedFailureCountPath { get; }

    /// <summary>Distributed: the name in the Map Run's and child executions' ARNs; null means the state's name.</summary>
    public string? Label { get; }

    /// <summary>Distributed: where the items come from (an object in the store, or a listing); null means the state's input.</summary>
    public ItemReaderDefinition? ItemReader { get; }

    /// <summary>Distributed: groups items into batches, one child execution per batch; null runs one item per child.</summary>
    public ItemBatcherDefinition? ItemBatcher { get; }

    /// <summary>Distributed: where and how the children's results go; null returns their outputs as the state's result.</summary>
    public ResultWriterDefinition? ResultWriter { get; }
}

/// <summary>
/// ItemReader. JSONPath states give the bucket and key in <c>Parameters</c> (a payload template) and may give
/// <c>MaxItemsPath</c>; JSONata states give them in <c>Arguments</c> (an object of expressions, or one expression) and
/// may write <c>MaxItems</c> as an expression.
/// </summary>
/// <param name="Resource">The reader's resource ARN, e.g. <c>arn:aws:states:::s3:getObject</c> (one object) or <c>arn:aws:states:::s3:listObjectsV2</c> (a listing).</param>
/// <param name="Parameters">JSONPath: the payload template giving Bucket and Key (or Prefix); null in JSONata states.</param>
/// <param name="InputType">ReaderConfig.InputType: CSV, JSON, JSONL or MANIFEST; null for a listing.</param>
/// <param name="CsvHeaderLocation">FIRST_ROW (the default: the file's first line names the columns) or GIVEN (<paramref name="CsvHeaders"/>).</param>
/// <param name="CsvHeaders">The column names when <paramref name="CsvHeaderLocation"/> is GIVEN; null otherwise.</param>
/// <param name="CsvDelimiter">The delimiter character(s) CSVDelimiter names (default <c>,</c>).</param>
/// <param name="MaxItems">Reads at most this many items; null (or 0) means all.</param>
/// <param name="MaxItemsPath">JSONPath: a reference path that gives <paramref name="MaxItems"/> when the state runs.</param>
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
/// <param name="MaxItemsPerBatch">Items per batch at most; null when not given as a number.</param>
/// <param name="MaxItemsPerBatchPath">JSONPath: a reference path that gives <paramref name="MaxItemsPerBatch"/>.</param>
/// <param name="MaxInputBytesPerBatch">Bytes of serialized batch input at most (AWS allows up to 256 KiB); null when not given as a number.</param>
/// <param name="MaxInputBytesPerBatchPath">JSONPath: a reference path that gives <paramref name="MaxInputBytesPerBatch"/>.</param>
/// <param name="BatchInput">A fixed value (JSONata: a template) every batch carries beside its <c>Items</c>; null when absent.</param>
public sealed record ItemBatcherDefinition(
    int? MaxItemsPerBatch,
    string? MaxItemsPerBatchPath,
    int? MaxInputBytesPerBatch,
    string? MaxInputBytesPerBatchPath,
    JsonNode? BatchInput)
{
    /// <summary>JSONata: <see cref="MaxItemsPerBatch"/> as an expression.</summary>
    public string? MaxItemsPerBatchExpression { get; init; }

    /// <summary>JSONata: <see cref="MaxInputBytesPerBatch"/> as an expression.</summary>
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
/// <param name="Resource">The writer's resource ARN (<c>arn:aws:states:::s3:putObject</c>); null when only WriterConfig is given.</param>
/// <param name="Parameters">JSONPath: the payload template giving Bucket and Prefix; null in JSONata states (see <see cref="Arguments"/>).</param>
public sealed record ResultWriterDefinition(string? Resource, JsonNode? Parameters)
{
    /// <summary>JSONata: the bucket and prefix the results go to (an object of expressions); null in JSONPath states.</summary>
    public JsonNode? Arguments { get; init; }

    /// <summary>The definition has a <c>WriterConfig</c>; without a <see cref="ResultWriterDefinition.Resource"/> it only shapes the state's result.</summary>
    public bool HasWriterConfig { get; init; }

    /// <summary>How each child's result is shaped: <see cref="ResultTransformation.Compact"/> by default without a Resource, <see cref="ResultTransformation.None"/> with one.</summary>
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
