using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using StockFlow.Asl;
using StockFlow.Asl.Distributed;
using StockFlow.Asl.Execution;
using static StockFlow.Asl.Tests.Interpreter.Asl;

namespace StockFlow.Asl.Tests.Interpreter;

/// <summary>An object store in memory, for ItemReader/ResultWriter.</summary>
internal sealed class MemoryStore : IItemReaderStore
{
    public ConcurrentDictionary<(string Bucket, string Key), byte[]> Objects { get; } = new();

    public void Put(string bucket, string key, string text) => Objects[(bucket, key)] = Encoding.UTF8.GetBytes(text);

    public string Text(string bucket, string key) => Encoding.UTF8.GetString(Objects[(bucket, key)]);

    public Task<Stream?> OpenAsync(string bucket, string key, CancellationToken cancellationToken) =>
        Task.FromResult<Stream?>(Objects.TryGetValue((bucket, key), out var b) ? new MemoryStream(b) : null);

    public async IAsyncEnumerable<(string Key, long Size, DateTimeOffset LastModified, string ETag)> ListAsync(
        string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var ((b, k), v) in Objects.OrderBy(o => o.Key.Key, StringComparer.Ordinal))
        {
            if (b == bucket && k.StartsWith(prefix, StringComparison.Ordinal))
                yield return (k, v.Length, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), "\"etag\"");
        }
    }

    public async Task WriteAsync(string bucket, string key, Stream content, CancellationToken cancellationToken)
    {
        using var ms = new MemoryStream();
        await content.CopyToAsync(ms, cancellationToken);
        Objects[(bucket, key)] = ms.ToArray();
    }
}

public class DistributedMapTests
{
    private static string Map(string readerAndMore, string processorStates = """{"P":{"Type":"Pass","End":true}}""") =>
        """{"StartAt":"M","States":{"M":{"Type":"Map",""" + readerAndMore
        + ""","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"P","States":"""
        + processorStates + "},\"End\":true}}}";

    private static ExecutionOptions With(MemoryStore store, ITaskInvoker? invoker = null) =>
        new() { ItemStore = store, WaitScale = 0, TaskInvoker = invoker };

    [Fact]
    public async Task Reads_a_CSV_object_with_its_header_row()
    {
        var store = new MemoryStore();
        store.Put("lake", "landing/symbols.csv", "symbol,name\nAAPL,\"Apple, Inc.\"\r\nMSFT,Microsoft\n");
        var def = Map("""
            "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"},
                          "Parameters":{"Bucket.$":"$.bucket","Key":"landing/symbols.csv"}}
            """);
        var r = await Run(def, """{"bucket":"lake"}""", options: With(store));
        AssertSucceeded(r);
        AssertJson("""[{"symbol":"AAPL","name":"Apple, Inc."},{"symbol":"MSFT","name":"Microsoft"}]""", r.Output);
        Assert.Contains(r.Events, e => e.Type == "MapRunStarted");
        Assert.DoesNotContain(r.Events, e => e.Type == "PassStateEntered"); // child executions keep their own history
    }

    [Fact]
    public async Task Reads_CSV_with_given_headers_JSON_arrays_and_JSON_lines_and_honours_MaxItems()
    {
        var store = new MemoryStore();
        store.Put("b", "given.csv", "AAPL,1\nMSFT,2\nGOOG,3\n");
        store.Put("b", "items.json", """[{"a":1},{"a":2},{"a":3}]""");
        store.Put("b", "items.jsonl", "{\"a\":1}\n{\"a\":2}\n\n");
        var given = Map("""
            "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["s","n"],"MaxItems":2},
                          "Parameters":{"Bucket":"b","Key":"given.csv"}}
            """);
        AssertJson("""[{"s":"AAPL","n":"1"},{"s":"MSFT","n":"2"}]""", (await Run(given, "{}", options: With(store))).Output);
        var json = Map("""
            "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"b","Key":"items.json"}}
            """);
        AssertJson("""[{"a":1},{"a":2},{"a":3}]""", (await Run(json, "{}", options: With(store))).Output);
        var jsonl = Map("""
            "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSONL"},"Parameters":{"Bucket":"b","Key":"items.jsonl"}}
            """);
        AssertJson("""[{"a":1},{"a":2}]""", (await Run(jsonl, "{}", options: With(store))).Output);
    }

    [Fact]
    public async Task Lists_objects_under_a_prefix()
    {
        var store = new MemoryStore();
        store.Put("b", "raw/a.csv", "x");
        store.Put("b", "raw/b.csv", "yy");
        store.Put("b", "other/c.csv", "z");
        var def = Map("""
            "ItemReader":{"Resource":"arn:aws:states:::s3:listObjectsV2","Parameters":{"Bucket":"b","Prefix":"raw/"}},
            "ItemSelector":{"key.$":"$$.Map.Item.Value.Key","size.$":"$$.Map.Item.Value.Size"}
            """);
        var r = await Run(def, "{}", options: With(store));
        AssertJson("""[{"key":"raw/a.csv","size":1},{"key":"raw/b.csv","size":2}]""", r.Output);
    }

    [Fact]
    public async Task A_missing_object_fails_with_ItemReaderFailed()
    {
        var def = Map("""
            "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"b","Key":"nope.json"}}
            """);
        var r = await Run(def, "{}", options: With(new MemoryStore()));
        Assert.Equal("States.ItemReaderFailed", r.Error);
        Assert.Contains("nope.json", r.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ragged_CSV_row_fails_with_a_clear_cause()
    {
        var store = new MemoryStore();
        store.Put("b", "bad.csv", "a,b\n1\n");
        var def = Map("""
            "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV"},"Parameters":{"Bucket":"b","Key":"bad.csv"}}
            """);
        var r = await Run(def, "{}", options: With(store));
        Assert.Equal("States.ItemReaderFailed", r.Error);
        Assert.Contains("row 2", r.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ItemBatcher_groups_items_with_BatchInput()
    {
        var def = Map("""
            "ItemsPath":"$.xs","ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"run.$":"$.run"}}
            """);
        var r = await Run(def, """{"xs":[1,2,3],"run":"r1"}""", options: With(new MemoryStore()));
        AssertJson("""[{"BatchInput":{"run":"r1"},"Items":[1,2]},{"BatchInput":{"run":"r1"},"Items":[3]}]""", r.Output);
    }

    [Fact]
    public async Task ItemBatcher_splits_by_MaxInputBytesPerBatch()
    {
        var def = Map("""
            "ItemsPath":"$.xs","ItemBatcher":{"MaxInputBytesPerBatch":20}
            """);
        var r = await Run(def, """{"xs":["aaaaaa","bbbbbb","cccccc"]}""", options: With(new MemoryStore()));
        Assert.Equal(2, r.Output!.AsArray().Count);
    }

    private const string FailOdd = """
        {"P":{"Type":"Choice","Choices":[{"Variable":"$","NumericGreaterThan":2,"Next":"Bad"}],"Default":"Good"},
         "Bad":{"Type":"Fail","Error":"TooBig","Cause":"item too big"},
         "Good":{"Type":"Succeed"}}
        """;

    [Fact]
    public async Task Failures_within_ToleratedFailureCount_let_the_Map_succeed()
    {
        var def = Map("\"ItemsPath\":\"$\",\"ToleratedFailureCount\":2", FailOdd);
        var r = await Run(def, "[1,2,3,4]", options: With(new MemoryStore()));
        AssertSucceeded(r);
        AssertJson("""[1,2,{"Error":"TooBig","Cause":"item too big"},{"Error":"TooBig","Cause":"item too big"}]""", r.Output);
    }

    [Fact]
    public async Task Failures_beyond_the_tolerated_percentage_fail_with_ExceedToleratedFailureThreshold()
    {
        var def = Map("\"ItemsPath\":\"$\",\"ToleratedFailurePercentage\":25", FailOdd);
        var r = await Run(def, "[1,2,3,4]", options: With(new MemoryStore()));
        Assert.Equal("States.ExceedToleratedFailureThreshold", r.Error);
        Assert.Contains(r.Events, e => e.Type == "MapRunFailed");
    }

    [Fact]
    public async Task Without_a_tolerance_one_failure_fails_the_map_run()
    {
        var def = Map("\"ItemsPath\":\"$\"", FailOdd);
        var r = await Run(def, "[1,3]", options: With(new MemoryStore()));
        Assert.Equal("States.ExceedToleratedFailureThreshold", r.Error);
    }

    [Fact]
    public async Task ResultWriter_writes_a_manifest_and_result_files_under_the_prefix()
    {
        var store = new MemoryStore();
        var def = Map("""
            "ItemsPath":"$","ToleratedFailureCount":5,
            "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out","Prefix":"results/run1"}}
            """, FailOdd);
        var r = await Run(def, "[1,2,3]", options: With(store));
        AssertSucceeded(r);
        var manifestKey = r.Output!["ResultWriterDetails"]!["Key"]!.GetValue<string>();
        Assert.StartsWith("results/run1/", manifestKey, StringComparison.Ordinal);
        Assert.EndsWith("/manifest.json", manifestKey, StringComparison.Ordinal);
        Assert.Equal("out", r.Output!["ResultWriterDetails"]!["Bucket"]!.GetValue<string>());
        var manifest = J(store.Text("out", manifestKey))!;
        Assert.Equal("out", manifest["DestinationBucket"]!.GetValue<string>());
        Assert.Equal(r.Output!["MapRunArn"]!.GetValue<string>(), manifest["MapRunArn"]!.GetValue<string>());
        var succeededKey = manifest["ResultFiles"]!["SUCCEEDED"]![0]!["Key"]!.GetValue<string>();
        var failedKey = manifest["ResultFiles"]!["FAILED"]![0]!["Key"]!.GetValue<string>();
        Assert.EndsWith("SUCCEEDED_0.json", succeededKey, StringComparison.Ordinal);
        Assert.Empty(manifest["ResultFiles"]!["PENDING"]!.AsArray());
        var succeeded = J(store.Text("out", succeededKey))!.AsArray();
        Assert.Equal(2, succeeded.Count);
        Assert.Equal("SUCCEEDED", succeeded[0]!["Status"]!.GetValue<string>());
        Assert.Equal("1", succeeded[0]!["Input"]!.GetValue<string>());
        Assert.Equal("1", succeeded[0]!["Output"]!.GetValue<string>());
        var failed = J(store.Text("out", failedKey))!.AsArray();
        Assert.Equal("TooBig", Assert.Single(failed)!["Error"]!.GetValue<string>());
    }

    [Fact]
    public async Task WriterConfig_alone_shapes_the_results_without_writing_COMPACT_FLATTEN_and_NONE()
    {
        const string returnsPair = """{"P":{"Type":"Pass","Parameters":["a.$","$"],"End":true}}""";
        var store = new MemoryStore();
        var compact = await Run(Map("\"ItemsPath\":\"$\",\"ResultWriter\":{\"WriterConfig\":{\"Transformation\":\"COMPACT\"}}", returnsPair), "[1,2]", options: With(store));
        AssertJson("""[["a.$","$"],["a.$","$"]]""", compact.Output);
        var flatten = await Run(Map("\"ItemsPath\":\"$\",\"ResultWriter\":{\"WriterConfig\":{\"Transformation\":\"FLATTEN\",\"OutputType\":\"JSON\"}}", returnsPair), "[1,2]", options: With(store));
        AssertJson("""["a.$","$","a.$","$"]""", flatten.Output);
        var none = await Run(Map("\"ItemsPath\":\"$\",\"ResultWriter\":{\"WriterConfig\":{\"Transformation\":\"NONE\"}}"), "[7]", options: With(store));
        var child = Assert.Single(none.Output!.AsArray())!;
        Assert.Equal("SUCCEEDED", child["Status"]!.GetValue<string>());
        Assert.Equal("7", child["Output"]!.GetValue<string>());
        Assert.Empty(store.Objects); // WriterConfig alone writes nothing
    }

    [Fact]
    public async Task WriterConfig_with_a_bucket_writes_compact_JSON_lines_and_keeps_failures_whole()
    {
        var store = new MemoryStore();
        var def = Map("""
            "ItemsPath":"$","ToleratedFailureCount":5,
            "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out","Prefix":"p"},
                            "WriterConfig":{"Transformation":"COMPACT","OutputType":"JSONL"}}
            """, FailOdd);
        var r = await Run(def, "[1,2,3]", options: With(store));
        AssertSucceeded(r);
        var manifest = J(store.Text("out", r.Output!["ResultWriterDetails"]!["Key"]!.GetValue<string>()))!;
        var succeededKey = manifest["ResultFiles"]!["SUCCEEDED"]![0]!["Key"]!.GetValue<string>();
        Assert.EndsWith("SUCCEEDED_0.jsonl", succeededKey, StringComparison.Ordinal);
        Assert.Equal("1\n2\n", store.Text("out", succeededKey));
        var failed = store.Text("out", manifest["ResultFiles"]!["FAILED"]![0]!["Key"]!.GetValue<string>());
        Assert.Equal("TooBig", J(failed.TrimEnd('\n'))!["Error"]!.GetValue<string>());
    }

    private static string JsonataMap(string readerAndMore, string processorStates = """{"P":{"Type":"Pass","End":true}}""") =>
        """{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map",""" + readerAndMore
        + ""","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"P","States":"""
        + processorStates + "},\"End\":true}}}";

    [Fact]
    public async Task JSONata_ItemReader_takes_Arguments_and_a_MaxItems_expression()
    {
        var store = new MemoryStore();
        store.Put("lake", "in/items.json", """[{"a":1},{"a":2},{"a":3}]""");
        var def = JsonataMap("""
            "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON","MaxItems":"{% $states.input.limit %}"},
                          "Arguments":{"Bucket":"{% $states.input.bucket %}","Key":"{% 'in/' & $states.input.file %}"}},
            "ItemSelector":{"value":"{% $states.context.Map.Item.Value.a %}","at":"{% $states.context.Map.Item.Index %}"}
            """);
        var r = await Run(def, """{"bucket":"lake","file":"items.json","limit":2}""", options: With(store));
        AssertSucceeded(r);
        AssertJson("""[{"value":1,"at":0},{"value":2,"at":1}]""", r.Output);
        Assert.Contains(r.Events, e => e.Type == "MapRunStarted");
    }

    [Fact]
    public async Task JSONata_ItemReader_Arguments_can_be_one_expression_and_bad_Arguments_fail_the_read()
    {
        var store = new MemoryStore();
        store.Put("lake", "x.jsonl", "{\"n\":1}\n{\"n\":2}\n");
        var one = JsonataMap("""
            "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSONL"},"Arguments":"{% $states.input.where %}"}
            """);
        var r = await Run(one, """{"where":{"Bucket":"lake","Key":"x.jsonl"}}""", options: With(store));
        AssertJson("""[{"n":1},{"n":2}]""", r.Output);

        var notAnObject = await Run(one, """{"where":"lake/x.jsonl"}""", options: With(store));
        Assert.Equal(StatesErrors.ItemReaderFailed, notAnObject.Error);
        var undefinedKey = await Run(JsonataMap("""
            "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Arguments":{"Bucket":"lake","Key":"{% $states.input.nothing %}"}}
            """), "{}", options: With(store));
        Assert.Equal(StatesErrors.QueryEvaluationError, undefinedKey.Error);
        Assert.Contains("'ItemReader/Arguments/Key' returned nothing (undefined)", undefinedKey.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JSONata_ItemBatcher_takes_expressions_for_its_limits_and_BatchInput()
    {
        var def = JsonataMap("""
            "Items":"{% $states.input.xs %}",
            "ItemBatcher":{"MaxItemsPerBatch":"{% $states.input.size %}","BatchInput":{"run":"{% $states.input.run %}","fixed":true}}
            """);
        var r = await Run(def, """{"xs":[1,2,3],"size":2,"run":"r1"}""", options: With(new MemoryStore()));
        AssertSucceeded(r);
        AssertJson("""[{"BatchInput":{"run":"r1","fixed":true},"Items":[1,2]},{"BatchInput":{"run":"r1","fixed":true},"Items":[3]}]""", r.Output);

        var whole = JsonataMap("""
            "Items":[1,2,3],"ItemBatcher":{"MaxInputBytesPerBatch":"{% 1000 %}","BatchInput":"{% {'n': $count($states.input.xs)} %}"}
            """);
        AssertJson("""[{"BatchInput":{"n":0},"Items":[1,2,3]}]""", (await Run(whole, """{"xs":[]}""", options: With(new MemoryStore()))).Output);

        var zero = await Run(def, """{"xs":[1],"size":0,"run":"r"}""", options: With(new MemoryStore()));
        Assert.Equal(StatesErrors.QueryEvaluationError, zero.Error);
        Assert.Contains("'ItemBatcher/MaxItemsPerBatch'", zero.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JSONata_ResultWriter_takes_Arguments_and_WriterConfig()
    {
        var store = new MemoryStore();
        var def = JsonataMap("""
            "Items":[1,2],
            "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Arguments":{"Bucket":"{% $states.input.bucket %}","Prefix":"results"},
                            "WriterConfig":{"Transformation":"COMPACT","OutputType":"JSON"}},
            "Output":"{% $states.result.ResultWriterDetails %}"
            """);
        var r = await Run(def, """{"bucket":"out"}""", options: With(store));
        AssertSucceeded(r);
        Assert.Equal("out", r.Output!["Bucket"]!.GetValue<string>());
        var manifest = J(store.Text("out", r.Output!["Key"]!.GetValue<string>()))!;
        AssertJson("[1,2]", J(store.Text("out", manifest["ResultFiles"]!["SUCCEEDED"]![0]!["Key"]!.GetValue<string>())));
    }
}
