using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StockFlow.Jsonata;

namespace StockFlow.Asl.Expressions;

/// <summary>A Step Functions JSONata function refused its arguments (the cause names the function and the rule).</summary>
public sealed class StatesFunctionException : Exception
{
    /// <summary>A refusal whose message names the function and the rule it broke.</summary>
    public StatesFunctionException(string message) : base(message) { }

    /// <summary>A refusal without a message.</summary>
    public StatesFunctionException() { }

    /// <summary>A refusal caused by <paramref name="innerException"/>.</summary>
    public StatesFunctionException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// The functions Step Functions adds to JSONata ($partition, $range, $hash, $random, $uuid, $parse), and $eval
/// removed as AWS removes it (calling it fails as calling any undefined function does).
/// </summary>
public static class StatesFunctions
{
    private const double MaxSafeInteger = 9007199254740991d;

    /// <summary>Bound into every evaluation; the names are read as <c>$partition</c>, ...</summary>
    public static readonly IReadOnlyDictionary<string, object?> Bindings = new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["partition"] = JsonataFunction.Create("partition", "<an:a>", 2, Partition),
        ["range"] = JsonataFunction.Create("range", "<nnn?:a>", 3, Range),
        ["hash"] = JsonataFunction.Create("hash", "<ss:s>", 2, Hash),
        ["random"] = JsonataFunction.Create("random", "<n?:n>", 1, RandomNumber),
        ["uuid"] = JsonataFunction.Create("uuid", "<:s>", 0, _ => Guid.NewGuid().ToString()),
        ["parse"] = JsonataFunction.Create("parse", "<s:x>", 1, Parse),
        ["eval"] = null,
    };

    private static object? Arg(IReadOnlyList<object?> args, int i) => i < args.Count ? args[i] : null;

    private static object? Partition(IReadOnlyList<object?> args)
    {
        if (Arg(args, 0) is not JArray array) return null;
        var size = Integer(Arg(args, 1), "partition", "chunk size");
        if (size < 1) throw new StatesFunctionException("The $partition function's chunk size must be a positive integer.");
        var result = new JArray();
        for (var i = 0; i < array.Count; i += (int)size)
            result.Add(new JArray(array.Skip(i).Take((int)size)));
        return result;
    }

    private static object? Range(IReadOnlyList<object?> args)
    {
        var start = Integer(Arg(args, 0), "range", "start");
        var end = Integer(Arg(args, 1), "range", "end");
        var step = Arg(args, 2) is null ? 1 : Integer(Arg(args, 2), "range", "step");
        if (step == 0) throw new StatesFunctionException("The $range function's step must not be 0.");
        var count = Math.Floor((end - start) / (double)step) + 1;
        if (count > 1_000) throw new StatesFunctionException("The $range function can produce at most 1000 items.");
        var result = new JArray();
        for (var v = start; step > 0 ? v <= end : v >= end; v += step)
            result.Add((double)v);
        return result;
    }

    private static object? Hash(IReadOnlyList<object?> args)
    {
        if (Arg(args, 0) is not string data) return null;
        var bytes = Encoding.UTF8.GetBytes(data);
        var digest = (Arg(args, 1) as string) switch
        {
            "MD5" => MD5.HashData(bytes),
            "SHA-1" => SHA1.HashData(bytes),
            "SHA-256" => SHA256.HashData(bytes),
            "SHA-384" => SHA384.HashData(bytes),
            "SHA-512" => SHA512.HashData(bytes),
            var other => throw new StatesFunctionException($"The $hash function's algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, but was '{other}'."),
        };
        return Convert.ToHexStringLower(digest);
    }

    private static object? RandomNumber(IReadOnlyList<object?> args) =>
        Arg(args, 0) is null ? Random.Shared.NextDouble() : new Random((int)Integer(Arg(args, 0), "random", "seed")).NextDouble();

    private static object? Parse(IReadOnlyList<object?> args)
    {
        if (Arg(args, 0) is not string text) return null;
        try
        {
            return JsonText.Parse(text);
        }
        catch (JsonException e)
        {
            throw new StatesFunctionException($"The $parse function's argument is not valid JSON: {e.Message}", e);
        }
    }

    private static long Integer(object? value, string function, string what)
    {
        if (value is double d && d == Math.Floor(d) && Math.Abs(d) <= MaxSafeInteger) return (long)d;
        throw new StatesFunctionException(
            $"The ${function} function's {what} must be an integer, but was {(value is double n ? n.ToString(CultureInfo.InvariantCulture) : JsonText.Stringify(value))}.");
    }
}
