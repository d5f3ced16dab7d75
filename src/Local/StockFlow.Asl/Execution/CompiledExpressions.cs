using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Asl.Expressions;

namespace StockFlow.Asl.Execution;

/// <summary>
/// A payload template (Parameters, ItemSelector, ResultSelector, Assign) with its paths parsed once.
/// Only the happy path is handled here; anything unusual (a missing path, a malformed entry) is handed to
/// <see cref="PayloadTemplate.Evaluate"/>, so errors and their messages are the expressions layer's own.
/// </summary>
internal sealed class CompiledTemplate
{
    private static readonly ConditionalWeakTable<JsonNode, CompiledTemplate> Cache = [];

    private readonly JsonNode template;
    private readonly Entry[]? entries;

    private CompiledTemplate(JsonNode template, Entry[]? entries)
    {
        this.template = template;
        this.entries = entries;
    }

    private sealed record Entry(string Name, JsonPath? Path, string? Intrinsic, CompiledTemplate? Nested, JsonNode? Literal);

    public static JsonNode? Evaluate(JsonNode template, PayloadScope scope) =>
        Cache.GetValue(template, Compile).Run(scope);

    private static CompiledTemplate Compile(JsonNode template)
    {
        if (template is not JsonObject obj) return new CompiledTemplate(template, null);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<Entry>(obj.Count);
        foreach (var (key, value) in obj)
        {
            if (key.EndsWith(".$", StringComparison.Ordinal))
            {
                var name = key[..^2];
                if (!names.Add(name) || value is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return new CompiledTemplate(template, null);
                var text = v.GetValue<string>();
                if (IntrinsicFunctions.IsIntrinsic(text))
                {
                    list.Add(new Entry(name, null, text, null, null));
                    continue;
                }

                if (!JsonPath.TryParse(text, out var path, out _)) return new CompiledTemplate(template, null);
                list.Add(new Entry(name, path, null, null, null));
            }
            else
            {
                if (!names.Add(key)) return new CompiledTemplate(template, null);
                list.Add(value is JsonObject nested
                    ? new Entry(key, null, null, Cache.GetValue(nested, Compile), null)
                    : new Entry(key, null, null, null, value));
            }
        }

        return new CompiledTemplate(template, list.ToArray());
    }

    private JsonNode? Run(PayloadScope scope)
    {
        if (entries is null) return PayloadTemplate.Evaluate(template, scope);
        var output = new JsonObject();
        foreach (var e in entries)
        {
            JsonNode? value;
            if (e.Path is not null)
            {
                // A missing path: let the expressions layer raise its AWS-worded error.
                if (!e.Path.TryEvaluate(scope, out value)) return PayloadTemplate.Evaluate(template, scope);
            }
            else if (e.Intrinsic is not null)
            {
                value = IntrinsicFunctions.Evaluate(e.Intrinsic, scope);
            }
            else if (e.Nested is not null)
            {
                value = e.Nested.Run(scope);
            }
            else
            {
                value = e.Literal is JsonArray ? PayloadTemplate.Evaluate(e.Literal, scope) : e.Literal?.DeepClone();
            }

            output[e.Name] = value?.Parent is null ? value : value.DeepClone();
        }

        return output;
    }
}
