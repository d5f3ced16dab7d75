using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StockFlow.Asl.Expressions;

/// <summary>The implementations of each States.* function, with AWS's argument rules and limits.</summary>
internal static class IntrinsicLibrary
{
    private const int MaxArrayRangeItems = 1000;
    private const int MaxEncodingInput = 10000;

    private static readonly Dictionary<string, (int Min, int Max)> Arity = new(StringComparer.Ordinal)
    {
        ["States.Format"] = (1, int.MaxValue),
        ["States.StringToJson"] = (1, 1),
        ["States.JsonToString"] = (1, 1),
        ["States.Array"] = (0, int.MaxValue),
        ["States.ArrayPartition"] = (2, 2),
        ["States.ArrayContains"] = (2, 2),
        ["States.ArrayRange"] = (3, 3),
        ["States.ArrayGetItem"] = (2, 2),
        ["States.ArrayLength"] = (1, 1),
        ["States.ArrayUnique"] = (1, 1),
        ["States.Base64Encode"] = (1, 1),
        ["States.Base64Decode"] = (1, 1),
        ["States.Hash"] = (2, 2),
        ["States.JsonMerge"] = (3, 3),
        ["States.MathRandom"] = (2, 3),
        ["States.MathAdd"] = (2, 2),
        ["States.StringSplit"] = (2, 2),
        ["States.UUID"] = (0, 0),
    };

    public static bool TryGetArity(string name, out int min, out int max)
    {
        var found = Arity.TryGetValue(name, out var arity);
        (min, max) = arity;
        return found;
    }

    public static JsonNode? Invoke(IntrinsicCall call, IReadOnlyList<JsonNode?> args)
    {
        var f = new Args(call.Name, args);
        return call.Name switch
        {
            "States.Format" => Format(call, f),
            "States.StringToJson" => StringToJson(f),
            "States.JsonToString" => JsonValue.Create(JsonValues.ToJson(args[0])),
            "States.Array" => new JsonArray(args.Select(a => a?.DeepClone()).ToArray()),
            "States.ArrayPartition" => ArrayPartition(f),
            "States.ArrayContains" => JsonValue.Create(f.Array(0).Any(item => JsonValues.DeepEquals(item, args[1]))),
            "States.ArrayRange" => ArrayRange(f),
            "States.ArrayGetItem" => ArrayGetItem(f),
            "States.ArrayLength" => JsonValue.Create(f.Array(0).Count),
            "States.ArrayUnique" => ArrayUnique(f),
            "States.Base64Encode" => JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(f.LimitedString(0, MaxEncodingInput)))),
            "States.Base64Decode" => Base64Decode(f),
            "States.Hash" => Hash(f),
            "States.JsonMerge" => JsonMerge(f),
            "States.MathRandom" => MathRandom(f),
            "States.MathAdd" => MathAdd(f),
            "States.StringSplit" => StringSplit(f),
            "States.UUID" => JsonValue.Create(Guid.NewGuid().ToString("D")),
            _ => throw f.Fail("unknown function"),
        };
    }

    /// <summary>
    /// Replaces each <c>{}</c> with the next argument. In a literal template <c>\{</c> and <c>\}</c> are
    /// plain braces. Only strings, numbers, booleans and null can be interpolated.
    /// </summary>
    private static JsonValue Format(IntrinsicCall call, Args f)
    {
        var template = call.Arguments[0] is LiteralArgument { RawText: { } raw } ? raw : null;
        var escaped = template is not null;
        template ??= f.String(0);
        var result = new StringBuilder();
        var next = 1;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (escaped && c == '\\' && i + 1 < template.Length)
            {
                result.Append(template[++i]);
                continue;
            }

            if (c == '{' && i + 1 < template.Length && template[i + 1] == '}')
            {
                if (next >= f.Count)
                    throw f.Fail($"the template has more placeholders than the {f.Count - 1} argument(s) given");
                result.Append(FormatValue(f, next++));
                i++;
                continue;
            }

            result.Append(c);
        }

        if (next != f.Count)
            throw f.Fail($"the template has {next - 1} placeholder(s) but {f.Count - 1} argument(s) were given");
        return JsonValue.Create(result.ToString());
    }

    private static string FormatValue(Args f, int index)
    {
        var value = f[index];
        return JsonValues.KindOf(value) switch
        {
            JsonValueKind.String => value!.GetValue<string>(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => JsonValues.ToJson(value),
            _ => throw f.Fail($"argument {index + 1} is an {JsonValues.TypeName(value)}; only strings, numbers, booleans and null can be formatted"),
        };
    }

    private static JsonNode? StringToJson(Args f)
    {
        var text = f.String(0);
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw f.Fail($"'{text}' is not valid JSON: {e.Message}");
        }
    }

    private static JsonArray ArrayPartition(Args f)
    {
        var source = f.Array(0);
        var size = f.RoundedInteger(1);
        if (size <= 0)
            throw f.Fail($"the chunk size must be a positive integer but was {size}");
        var result = new JsonArray();
        foreach (var chunk in source.Chunk((int)Math.Min(size, int.MaxValue)))
            result.Add(new JsonArray(chunk.Select(item => item?.DeepClone()).ToArray()));
        return result;
    }

    private static JsonArray ArrayRange(Args f)
    {
        var start = f.RoundedInteger(0);
        var end = f.RoundedInteger(1);
        var step = f.RoundedInteger(2);
        if (step == 0)
            throw f.Fail("the step cannot be 0");
        var count = end == start ? 1 : (Math.Sign(end - start) == Math.Sign(step) ? ((end - start) / step) + 1 : 0);
        if (count > MaxArrayRangeItems)
            throw f.Fail($"the range would have {count} items; at most {MaxArrayRangeItems} are allowed");
        var result = new JsonArray();
        for (long i = 0, value = start; i < count; i++, value += step)
            result.Add(value);
        return result;
    }

    private static JsonNode? ArrayGetItem(Args f)
    {
        var array = f.Array(0);
        var index = f.Integer(1);
        if (index < 0 || index >= array.Count)
            throw f.Fail($"index {index} is out of bounds for an array of {array.Count} item(s)");
        return array[(int)index]?.DeepClone();
    }

    private static JsonArray ArrayUnique(Args f)
    {
        var result = new JsonArray();
        foreach (var item in f.Array(0))
        {
            if (!result.Any(kept => JsonValues.DeepEquals(kept, item)))
                result.Add(item?.DeepClone());
        }

        return result;
    }

    private static JsonValue Base64Decode(Args f)
    {
        var text = f.LimitedString(0, MaxEncodingInput);
        try
        {
            return JsonValue.Create(Encoding.UTF8.GetString(Convert.FromBase64String(text)));
        }
        catch (FormatException)
        {
            throw f.Fail($"'{text}' is not valid base64");
        }
    }

    private static JsonValue Hash(Args f)
    {
        // Strings are hashed as-is; other JSON values as their JSON text.
        var text = JsonValues.TryGetString(f[0], out var s) ? s : JsonValues.ToJson(f[0]);
        if (text.Length > MaxEncodingInput)
            throw f.Fail($"argument 1 has {text.Length} characters; at most {MaxEncodingInput} are allowed");
        var data = Encoding.UTF8.GetBytes(text);
        var algorithm = f.String(1);
        byte[] digest = algorithm switch
        {
            "MD5" => MD5.HashData(data),
            "SHA-1" => SHA1.HashData(data),
            "SHA-256" => SHA256.HashData(data),
            "SHA-384" => SHA384.HashData(data),
            "SHA-512" => SHA512.HashData(data),
            _ => throw f.Fail($"unsupported algorithm '{algorithm}'; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"),
        };
        return JsonValue.Create(Convert.ToHexStringLower(digest));
    }

    /// <summary>AWS only supports the shallow mode: the third argument must be false; the second object's members win.</summary>
    private static JsonObject JsonMerge(Args f)
    {
        var left = f.Object(0);
        var right = f.Object(1);
        if (JsonValues.KindOf(f[2]) != JsonValueKind.False)
            throw f.Fail(JsonValues.KindOf(f[2]) == JsonValueKind.True
                ? "deep merging is not supported; the third argument must be false"
                : "the third argument must be the boolean false");
        var merged = (JsonObject)left.DeepClone();
        foreach (var (key, value) in right)
            merged[key] = value?.DeepClone();
        return merged;
    }

    private static JsonValue MathRandom(Args f)
    {
        var start = f.RoundedInt32(0);
        var end = f.RoundedInt32(1);
        if (end <= start)
            throw f.Fail($"the end ({end}) must be greater than the start ({start})");
#pragma warning disable CA5394 // Not security-sensitive: a workflow's random number, optionally seeded for repeatability.
        var random = f.Count > 2 ? new Random(f.RoundedInt32(2)) : Random.Shared;
        return JsonValue.Create(random.Next(start, end));
#pragma warning restore CA5394
    }

    /// <summary>AWS rounds each argument half-up (Java's Math.round) before adding; both must fit a 32-bit int.</summary>
    private static JsonValue MathAdd(Args f) => JsonValue.Create((long)f.RoundedInt32(0) + f.RoundedInt32(1));

    /// <summary>Splits on any of the delimiter's characters and drops empty pieces, as AWS does.</summary>
    private static JsonArray StringSplit(Args f)
    {
        var text = f.String(0);
        var delimiters = f.String(1).ToCharArray();
        var pieces = delimiters.Length == 0
            ? [text]
            : text.Split(delimiters, StringSplitOptions.RemoveEmptyEntries);
        return new JsonArray(pieces.Where(p => p.Length > 0).Select(p => (JsonNode?)JsonValue.Create(p)).ToArray());
    }

    /// <summary>Typed access to evaluated arguments; a wrong type fails with the function's name and the position.</summary>
    private sealed class Args(string function, IReadOnlyList<JsonNode?> values)
    {
        public int Count => values.Count;

        public JsonNode? this[int index] => values[index];

        /// <summary>AWS's error for bad arguments: States.Runtime, "Invalid arguments in States.X"; the detail rides along inside.</summary>
        public StatesErrorException Fail(string problem) =>
            new(StatesErrors.Runtime, $"Invalid arguments in {function}", new IntrinsicArgumentException(function, problem));

        public string String(int index) =>
            JsonValues.TryGetString(values[index], out var s) ? s : throw WrongType(index, "a STRING");

        public string LimitedString(int index, int maxLength)
        {
            var s = String(index);
            return s.Length <= maxLength ? s : throw Fail($"argument {index + 1} has {s.Length} characters; at most {maxLength} are allowed");
        }

        public JsonArray Array(int index) => values[index] as JsonArray ?? throw WrongType(index, "an ARRAY");

        public JsonObject Object(int index) => values[index] as JsonObject ?? throw WrongType(index, "an OBJECT");

        public decimal Number(int index) =>
            JsonValues.TryGetDecimal(values[index], out var d) ? d : throw WrongType(index, "a NUMBER");

        public long Integer(int index)
        {
            var d = Number(index);
            if (d != decimal.Truncate(d) || d < long.MinValue || d > long.MaxValue)
                throw WrongType(index, "an integer");
            return (long)d;
        }

        /// <summary>Where AWS says it "rounds off to the nearest integer": half-up, like Java's Math.round.</summary>
        public long RoundedInteger(int index)
        {
            var rounded = Math.Floor(Number(index) + 0.5m);
            return rounded is >= long.MinValue and <= long.MaxValue ? (long)rounded : throw WrongType(index, "a 64-bit integer");
        }

        public int RoundedInt32(int index)
        {
            var rounded = Math.Floor(Number(index) + 0.5m);
            if (rounded < int.MinValue || rounded > int.MaxValue)
                throw Fail($"argument {index + 1} ({Number(index).ToString(CultureInfo.InvariantCulture)}) is outside the range -2147483648 to 2147483647");
            return (int)rounded;
        }

        private StatesErrorException WrongType(int index, string expected) =>
            Fail($"argument {index + 1} must be {expected} but was {JsonValues.TypeName(values[index])} {JsonValues.ToJson(values[index])}");
    }
}
