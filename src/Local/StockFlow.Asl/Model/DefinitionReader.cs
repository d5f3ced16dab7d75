using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StockFlow.Asl.Model;

/// <summary>Typed, pointer-aware reads of definition fields; every wrong type is an <see cref="AslDefinitionException"/>.</summary>
internal readonly struct DefinitionReader(JsonObject obj, string pointer, bool jsonata = false, bool machineJsonata = false)
{
    public JsonObject Json => obj;

    /// <summary>The object is a state whose query language is JSONata (its own QueryLanguage, or its machine's).</summary>
    public bool Jsonata => jsonata;

    /// <summary>The query language states of nested machines default to (the top level's).</summary>
    public bool MachineJsonata => machineJsonata;

    public string Pointer => pointer;

    public string Child(string name) => pointer + "/" + name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public bool Has(string name) => obj.ContainsKey(name);

    public JsonNode? Raw(string name) => obj.TryGetPropertyValue(name, out var v) ? v : null;

    public string? String(string name)
    {
        if (!obj.TryGetPropertyValue(name, out var v) || v is null) return null;
        if (v is JsonValue jv && jv.GetValueKind() == JsonValueKind.String) return jv.GetValue<string>();
        throw new AslDefinitionException(Child(name), $"'{name}' must be a string.");
    }

    public string RequiredString(string name) =>
        String(name) ?? throw new AslDefinitionException(Child(name), $"'{name}' is required.");

    public bool Bool(string name)
    {
        if (!obj.TryGetPropertyValue(name, out var v) || v is null) return false;
        return v.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new AslDefinitionException(Child(name), $"'{name}' must be a boolean."),
        };
    }

    public double? Number(string name)
    {
        if (!obj.TryGetPropertyValue(name, out var v) || v is null) return null;
        if (v.GetValueKind() != JsonValueKind.Number)
            throw new AslDefinitionException(Child(name), $"'{name}' must be a number.");
        return double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    public int? Integer(string name, int min = int.MinValue)
    {
        var d = Number(name);
        if (d is null) return null;
        if (d.Value != Math.Floor(d.Value) || d.Value < min || d.Value > int.MaxValue)
            throw new AslDefinitionException(Child(name), $"'{name}' must be an integer >= {min.ToString(CultureInfo.InvariantCulture)}.");
        return (int)d.Value;
    }

    /// <summary>An integer field that a JSONata state may also give as a {% expression %} (evaluated when the state runs).</summary>
    public (int? Value, string? Expression) IntegerOrExpression(string name, int min = int.MinValue)
    {
        if (jsonata && obj.TryGetPropertyValue(name, out var v) && v is JsonValue jv && jv.TryGetValue<string>(out var s) && Expressions.JsonataQuery.IsExpression(s))
            return (null, Expressions.JsonataQuery.Inner(s));
        return (Integer(name, min), null);
    }

    /// <summary>A number field that a JSONata state may also give as a {% expression %}.</summary>
    public (double? Value, string? Expression) NumberOrExpression(string name)
    {
        if (jsonata && obj.TryGetPropertyValue(name, out var v) && v is JsonValue jv && jv.TryGetValue<string>(out var s) && Expressions.JsonataQuery.IsExpression(s))
            return (null, Expressions.JsonataQuery.Inner(s));
        return (Number(name), null);
    }

    public JsonObject? Object(string name)
    {
        if (!obj.TryGetPropertyValue(name, out var v) || v is null) return null;
        return v as JsonObject ?? throw new AslDefinitionException(Child(name), $"'{name}' must be an object.");
    }

    public JsonArray? Array(string name)
    {
        if (!obj.TryGetPropertyValue(name, out var v) || v is null) return null;
        return v as JsonArray ?? throw new AslDefinitionException(Child(name), $"'{name}' must be an array.");
    }

    /// <summary>A path field: absent means "$", JSON null means "discard" (IsNull).</summary>
    public PathField Path(string name)
    {
        if (!obj.TryGetPropertyValue(name, out var v)) return PathField.Default;
        if (v is null) return PathField.Null;
        return new PathField(String(name), false);
    }

    public IReadOnlyList<string> StringList(string name)
    {
        var arr = Array(name);
        if (arr is null) return [];
        var list = new List<string>(arr.Count);
        for (var i = 0; i < arr.Count; i++)
        {
            if (arr[i] is JsonValue jv && jv.GetValueKind() == JsonValueKind.String) list.Add(jv.GetValue<string>());
            else throw new AslDefinitionException(Child(name) + "/" + i.ToString(CultureInfo.InvariantCulture), "must be a string.");
        }

        return list;
    }
}

/// <summary>InputPath/OutputPath/ResultPath/ItemsPath as written: a path, the default "$", or null.</summary>
/// <param name="Path">The JSONPath as written (a reference path for InputPath/OutputPath/ItemsPath); null when <paramref name="IsNull"/>.</param>
/// <param name="IsNull">The field is written as <c>null</c>.</param>
public sealed record PathField(string? Path, bool IsNull)
{
    /// <summary>The field is absent or <c>"$"</c>: the whole value.</summary>
    public static readonly PathField Default = new("$", false);
    /// <summary>The field is written as <c>null</c>: the value is dropped (<c>{}</c> for InputPath/OutputPath; a discarded result for ResultPath).</summary>
    public static readonly PathField Null = new(null, true);

    /// <summary>"$" (or absent): the whole value passes through, nothing to evaluate.</summary>
    public bool IsIdentity => !IsNull && Path == "$";
}
