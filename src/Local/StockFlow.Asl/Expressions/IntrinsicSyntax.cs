using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace StockFlow.Asl.Expressions;

/// <summary>An intrinsic argument: a literal, a path or a nested call.</summary>
internal abstract record IntrinsicArgument;

/// <summary>A literal. For a string, <see cref="RawText"/> keeps the escapes so States.Format can tell <c>\{</c> from <c>{</c>.</summary>
internal sealed record LiteralArgument(JsonNode? Value, string? RawText) : IntrinsicArgument;

internal sealed record PathArgument(JsonPath Path) : IntrinsicArgument;

internal sealed record IntrinsicCall(string Name, IReadOnlyList<IntrinsicArgument> Arguments) : IntrinsicArgument;

/// <summary>A malformed intrinsic expression; becomes States.IntrinsicFailure at run time and a problem in validation.</summary>
internal sealed class IntrinsicSyntaxException(string message) : Exception(message);

/// <summary>Parses <c>States.Name(arg, ...)</c> with string, number, boolean, null, path and nested-call arguments.</summary>
internal sealed class IntrinsicParser
{
    // AWS allows up to 10 nested intrinsic functions in one field.
    private const int MaxNesting = 10;

    private readonly string text;
    private int pos;
    private int depth;

    private IntrinsicParser(string text) => this.text = text;

    private const int CacheLimit = 1024;
    private static readonly ConcurrentDictionary<string, IntrinsicCall> Cache = new(StringComparer.Ordinal);

    /// <summary>Parses (or reuses the parse of) an expression; calls are immutable so sharing is safe.</summary>
    public static IntrinsicCall Parse(string expression)
    {
        if (Cache.TryGetValue(expression, out var cached))
            return cached;
        var call = ParseUncached(expression);
        if (Cache.Count >= CacheLimit)
            Cache.Clear();
        Cache[expression] = call;
        return call;
    }

    private static IntrinsicCall ParseUncached(string expression)
    {
        var parser = new IntrinsicParser(expression);
        parser.SkipSpaces();
        var call = parser.ParseCall();
        parser.SkipSpaces();
        if (parser.pos < expression.Length)
            throw parser.Error($"unexpected text after the closing ')': '{expression[parser.pos..]}'");
        return call;
    }

    private IntrinsicSyntaxException Error(string problem) =>
        new($"Invalid intrinsic function '{text}' at position {pos}: {problem}");

    private char Peek => pos < text.Length ? text[pos] : '\0';

    private IntrinsicCall ParseCall()
    {
        const string prefix = "States.";
        if (string.CompareOrdinal(text, pos, prefix, 0, prefix.Length) != 0)
            throw Error("an intrinsic function starts with 'States.'");
        var start = pos;
        pos += prefix.Length;
        while (char.IsAsciiLetterOrDigit(Peek))
            pos++;
        var name = text[start..pos];
        if (++depth > MaxNesting)
            throw Error($"more than {MaxNesting} nested intrinsic functions");
        if (!IntrinsicLibrary.TryGetArity(name, out var min, out var max))
            throw Error($"unknown intrinsic function '{name}'");
        SkipSpaces();
        if (Peek != '(')
            throw Error($"expected '(' after {name}");
        pos++;
        var args = new List<IntrinsicArgument>();
        SkipSpaces();
        if (Peek == ')')
        {
            pos++;
        }
        else
        {
            while (true)
            {
                SkipSpaces();
                args.Add(ParseArgument());
                SkipSpaces();
                if (Peek == ',')
                {
                    pos++;
                    continue;
                }

                if (Peek == ')')
                {
                    pos++;
                    break;
                }

                throw Error(pos >= text.Length ? $"missing ')' closing {name}" : $"expected ',' or ')' but found '{Peek}'");
            }
        }

        if (args.Count < min || args.Count > max)
        {
            var expected = min == max ? $"{min}" : max == int.MaxValue ? $"at least {min}" : $"{min} to {max}";
            throw Error($"{name} takes {expected} argument(s) but was given {args.Count}");
        }

        depth--;
        return new IntrinsicCall(name, args);
    }

    private IntrinsicArgument ParseArgument()
    {
        var c = Peek;
        if (c == '\'')
            return ParseString();
        if (c == '$')
        {
            try
            {
                var path = JsonPathParser.ParsePrefix(text, pos, out var end);
                pos = end;
                return new PathArgument(path);
            }
            catch (JsonPathSyntaxException e)
            {
                throw new IntrinsicSyntaxException($"Invalid intrinsic function '{text}': {e.Message}");
            }
        }

        if (char.IsAsciiDigit(c) || c == '-')
            return ParseNumber();
        if (string.CompareOrdinal(text, pos, "States.", 0, 7) == 0)
            return ParseCall();
        foreach (var (word, value) in new[] { ("true", (JsonNode?)JsonValue.Create(true)), ("false", JsonValue.Create(false)), ("null", null) })
        {
            if (string.CompareOrdinal(text, pos, word, 0, word.Length) == 0)
            {
                pos += word.Length;
                return new LiteralArgument(value, null);
            }
        }

        throw Error(pos >= text.Length ? "an argument is expected" : $"unexpected '{c}' where an argument is expected");
    }

    private LiteralArgument ParseString()
    {
        var start = pos;
        pos++; // opening quote
        var value = new StringBuilder();
        while (true)
        {
            if (pos >= text.Length)
            {
                pos = start;
                throw Error("unterminated string literal");
            }

            var c = text[pos];
            if (c == '\'')
            {
                pos++;
                return new LiteralArgument(JsonValue.Create(value.ToString()), text[(start + 1)..(pos - 1)]);
            }

            if (c == '\\')
            {
                var next = pos + 1 < text.Length ? text[pos + 1] : '\0';
                if (next is not ('\'' or '{' or '}' or '\\'))
                    throw Error("only \\' \\{ \\} and \\\\ are valid escapes in an intrinsic string");
                value.Append(next);
                pos += 2;
                continue;
            }

            value.Append(c);
            pos++;
        }
    }

    private LiteralArgument ParseNumber()
    {
        var start = pos;
        if (Peek == '-')
            pos++;
        while (char.IsAsciiDigit(Peek) || Peek is '.' or 'e' or 'E' || (Peek is '+' or '-' && text[pos - 1] is 'e' or 'E'))
            pos++;
        var slice = text[start..pos];
        if (long.TryParse(slice, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            return new LiteralArgument(JsonValue.Create(integer), null);
        if (decimal.TryParse(slice, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return new LiteralArgument(JsonValue.Create(number), null);
        pos = start;
        throw Error($"invalid number '{slice}'");
    }

    private void SkipSpaces()
    {
        while (pos < text.Length && char.IsWhiteSpace(text[pos]))
            pos++;
    }
}
