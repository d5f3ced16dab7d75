using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Asl.Execution;
using StockFlow.Asl.Expressions;
using StockFlow.Asl.History;
using StockFlow.Asl.Model;
using StockFlow.Csv;

namespace StockFlow.Asl.Distributed;

/// <summary>Reads a Distributed Map's items from the object store (s3:getObject as JSON/JSONL/CSV, s3:listObjectsV2).</summary>
internal sealed class ItemReaderRunner(ExecutionRuntime rt, MapStateDefinition state)
{
    private const string GetObject = "arn:aws:states:::s3:getObject";
    private const string ListObjects = "arn:aws:states:::s3:listObjectsV2";

    /// <summary>What was read, as $$.Map.Item.Source gives it: S3://bucket/key for an object, S3://bucket for a listing.</summary>
    public string? Source { get; private set; }

    /// <summary>A JSONPath state: Parameters is a payload template, MaxItemsPath a path of the effective input.</summary>
    public Task<JsonArray> ReadAsync(JsonNode? effective, JsonNode? context, IReadOnlyDictionary<string, JsonNode?> variables)
    {
        var reader = state.ItemReader!;
        var scope = new PayloadScope(effective, context, variables);
        JsonObject parameters;
        int? maxItems;
        try
        {
            parameters = (reader.Parameters is null ? null : PayloadTemplate.Evaluate(reader.Parameters, scope)) as JsonObject
                ?? throw Fail("ItemReader needs Parameters with Bucket and Key (or Prefix).");
            maxItems = reader.MaxItems;
            if (reader.MaxItemsPath is { } mp)
            {
                if (!JsonPath.Parse(mp).TryEvaluate(scope, out var mv) || mv is not JsonValue v || !v.TryGetValue<int>(out var m) || m < 0)
                    throw Fail($"MaxItemsPath '{mp}' must give a non-negative integer.");
                maxItems = m;
            }
        }
        catch (StatesErrorException e) when (e.Error != StatesErrors.ItemReaderFailed)
        {
            throw Fail(e.Cause);
        }

        return ReadFromStoreAsync(parameters, maxItems);
    }

    /// <summary>
    /// A JSONata state: Arguments (an object of expressions, or one expression) and MaxItems evaluated by the caller;
    /// an expression that fails is the state's States.QueryEvaluationError, not an ItemReader failure.
    /// </summary>
    public Task<JsonArray> ReadJsonataAsync(JsonNode? arguments, int? maxItems)
    {
        var parameters = arguments as JsonObject
            ?? throw Fail($"ItemReader needs Arguments giving an object with Bucket and Key (or Prefix), but they gave {EventDetails.ToJson(arguments)}.");
        return ReadFromStoreAsync(parameters, maxItems);
    }

    private async Task<JsonArray> ReadFromStoreAsync(JsonObject parameters, int? maxItems)
    {
        var reader = state.ItemReader!;
        var store = rt.Options.ItemStore ?? throw Fail("No item store is configured for the Map state's ItemReader.");
        var bucket = Text(parameters, "Bucket");
        var limit = maxItems is null or 0 ? int.MaxValue : maxItems.Value;
        var items = new JsonArray();
        if (string.Equals(reader.Resource, ListObjects, StringComparison.Ordinal))
        {
            Source = $"S3://{bucket}";
            var prefix = parameters["Prefix"] is JsonValue pv && pv.TryGetValue<string>(out var p) ? p : string.Empty;
            await foreach (var o in store.ListAsync(bucket, prefix, rt.Token))
            {
                if (items.Count >= limit) break;
                items.Add(new JsonObject
                {
                    ["Etag"] = o.ETag,
                    ["Key"] = o.Key,
                    ["LastModified"] = o.LastModified.ToUnixTimeSeconds(),
                    ["Size"] = o.Size,
                    ["StorageClass"] = "STANDARD",
                });
            }

            return items;
        }

        if (!string.Equals(reader.Resource, GetObject, StringComparison.Ordinal))
            throw Fail($"The ItemReader resource '{reader.Resource}' is not supported; use {GetObject} or {ListObjects}.");
        var key = Text(parameters, "Key");
        Source = $"S3://{bucket}/{key}";
        string content;
        await using (var stream = await store.OpenAsync(bucket, key, rt.Token) ?? throw Fail($"The object s3://{bucket}/{key} does not exist."))
        using (var text = new StreamReader(stream))
        {
            content = await text.ReadToEndAsync(rt.Token);
        }

        switch (reader.InputType ?? "JSON")
        {
            case "JSON":
                JsonNode? doc;
                try
                {
                    doc = JsonNode.Parse(content);
                }
                catch (JsonException e)
                {
                    throw Fail($"s3://{bucket}/{key} is not valid JSON: {e.Message}");
                }

                if (doc is not JsonArray arr) throw Fail($"s3://{bucket}/{key} must contain a JSON array.");
                foreach (var item in arr.ToList())
                {
                    if (items.Count >= limit) break;
                    arr.Remove(item);
                    items.Add(item);
                }

                return items;
            case "JSONL":
                var lineNo = 0;
                foreach (var line in content.Split('\n'))
                {
                    lineNo++;
                    if (line.Trim().Length == 0) continue;
                    if (items.Count >= limit) break;
                    try
                    {
                        items.Add(JsonNode.Parse(line));
                    }
                    catch (JsonException e)
                    {
                        throw Fail($"s3://{bucket}/{key} line {lineNo.ToString(CultureInfo.InvariantCulture)} is not valid JSON: {e.Message}");
                    }
                }

                return items;
            case "CSV":
                return Csv(content, reader, limit, $"s3://{bucket}/{key}");
            default:
                throw Fail($"ReaderConfig InputType '{reader.InputType}' is not supported.");
        }
    }

    private static JsonArray Csv(string content, ItemReaderDefinition reader, int limit, string where)
    {
        List<CsvRecord> rows;
        try
        {
            using var text = new StringReader(content);
            rows = CsvReader.ReadRecords(text, reader.CsvDelimiter[0], source: where).ToList();
        }
        catch (CsvFormatException e)
        {
            throw Fail(e.Message);
        }

        IReadOnlyList<string> headers;
        var first = 0;
        if (reader.CsvHeaderLocation == "GIVEN")
        {
            headers = reader.CsvHeaders!;
        }
        else
        {
            if (rows.Count == 0) throw Fail($"{where} has no header row.");
            headers = rows[0].Fields;
            first = 1;
        }

        var items = new JsonArray();
        for (var r = first; r < rows.Count && items.Count < limit; r++)
        {
            var fields = rows[r].Fields;
            if (fields.Count != headers.Count)
                throw Fail($"{where} row {(r + 1).ToString(CultureInfo.InvariantCulture)} has {fields.Count.ToString(CultureInfo.InvariantCulture)} fields, the header has {headers.Count.ToString(CultureInfo.InvariantCulture)}.");
            var o = new JsonObject();
            for (var c = 0; c < headers.Count; c++) o[headers[c]] = fields[c];
            items.Add(o);
        }

        return items;
    }

    private static string Text(JsonObject parameters, string name) =>
        parameters[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0
            ? s
            : throw Fail($"ItemReader Parameters need a string '{name}'.");

    private static StatesErrorException Fail(string cause) => new(StatesErrors.ItemReaderFailed, cause);
}

/// <summary>ItemBatcher: groups item inputs into {"BatchInput":..., "Items":[...]} by count and serialized size.</summary>
internal static class ItemBatching
{
    /// <summary>A JSONPath state: the limits may come from paths, BatchInput is a payload template.</summary>
    public static List<JsonNode?> Batch(ItemBatcherDefinition batcher, List<JsonNode?> inputs, PayloadScope scope)
    {
        var maxItems = batcher.MaxItemsPerBatch ?? PathInt(batcher.MaxItemsPerBatchPath, scope);
        var maxBytes = batcher.MaxInputBytesPerBatch ?? PathInt(batcher.MaxInputBytesPerBatchPath, scope);
        var batchInput = batcher.BatchInput is null ? null : PayloadTemplate.Evaluate(batcher.BatchInput, scope);
        return Batch(inputs, maxItems, maxBytes, batchInput);
    }

    /// <summary>Groups the inputs; no item limit means as many as fit in <paramref name="maxBytesPerBatch"/> (256 KiB by default).</summary>
    public static List<JsonNode?> Batch(List<JsonNode?> inputs, int? maxItemsPerBatch, int? maxBytesPerBatch, JsonNode? batchInput)
    {
        var maxItems = maxItemsPerBatch ?? int.MaxValue;
        var maxBytes = maxBytesPerBatch ?? 262_144;
        var batches = new List<JsonNode?>();
        JsonArray? current = null;
        var currentBytes = 0;
        foreach (var input in inputs)
        {
            var size = System.Text.Encoding.UTF8.GetByteCount(EventDetails.ToJson(input)) + 1;
            if (current is not null && (current.Count >= maxItems || currentBytes + size > maxBytes))
            {
                batches.Add(Wrap(current, batchInput));
                current = null;
            }

            if (current is null)
            {
                current = [];
                currentBytes = 2;
            }

            current.Add(input);
            currentBytes += size;
        }

        if (current is not null) batches.Add(Wrap(current, batchInput));
        return batches;
    }

    private static JsonObject Wrap(JsonArray items, JsonNode? batchInput)
    {
        var o = new JsonObject();
        if (batchInput is not null) o["BatchInput"] = batchInput.DeepClone();
        o["Items"] = items;
        return o;
    }

    private static int? PathInt(string? path, PayloadScope scope)
    {
        if (path is null) return null;
        if (JsonPath.Parse(path).TryEvaluate(scope, out var v) && v is JsonValue jv && jv.TryGetValue<int>(out var n) && n > 0) return n;
        throw new StatesErrorException(StatesErrors.Runtime, $"The ItemBatcher path '{path}' must give a positive integer.");
    }
}
