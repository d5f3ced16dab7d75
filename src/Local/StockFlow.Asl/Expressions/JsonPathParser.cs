using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace StockFlow.Asl.Expressions;

/// <summary>Recursive-descent parser for JSONPath text, reporting the position of the first problem.</summary>
internal sealed class JsonPathParser
{
    private readonly string text;
    private int pos;

    private JsonPathParser(string text, int start)
    {
        this.text = text;
        pos = start;
    }

    public static JsonPath ParseComplete(string text)
    {
        var parser = new JsonPathParser(text, 0);
        var path = parser.ParsePath(insideFilter: false);
        if (parser.pos < text.Length)
            throw parser.Error($"unexpected character '{text[parser.pos]}'");
        return path;
    }

    /// <summary>Parses the path starting at <paramref name="start"/> and stops where it ends; used by the intrinsic parser.</summary>
    public static JsonPath ParsePrefix(string text, int start, out int end)
    {
        var parser = new JsonPathParser(text, start);
        var path = parser.ParsePath(insideFilter: false);
        end = parser.pos;
        return path;
    }

    private JsonPathSyntaxException Error(string problem, int? at = null) => new(text, at ?? pos, problem);

    private char Peek(int offset = 0) => pos + offset < text.Length ? text[pos + offset] : '\0';

    private bool AtEnd => pos >= text.Length;

    private JsonPath ParsePath(bool insideFilter)
    {
        var start = pos;
        if (AtEnd)
            throw Error("a path must start with '$'");
        JsonPathRoot root;
        string? variable = null;
        if (Peek() == '@' && insideFilter)
        {
            root = JsonPathRoot.Current;
            pos++;
        }
        else if (Peek() == '$')
        {
            pos++;
            if (Peek() == '$')
            {
                root = JsonPathRoot.Context;
                pos++;
            }
            else if (IsIdentifierStart(Peek()))
            {
                root = JsonPathRoot.Variable;
                var nameStart = pos;
                while (IsIdentifierPart(Peek()))
                    pos++;
                variable = text[nameStart..pos];
            }
            else
            {
                root = JsonPathRoot.Input;
            }
        }
        else
        {
            throw Error($"a path must start with '$' but starts with '{Peek()}'");
        }

        var segments = new List<PathSegment>();
        while (!AtEnd && (Peek() == '.' || Peek() == '['))
        {
            var segmentStart = pos;
            var segment = ParseSegment();
            if (segments.Count > 0 && segments[^1] is PropertyUnionSegment)
                throw Error("a union of names (['a','b']) can only be the last step of a path", segmentStart);
            segments.Add(segment);
        }

        return new JsonPath(text[start..pos], root, variable, segments);
    }

    private PathSegment ParseSegment()
    {
        if (Peek() == '[')
            return ParseBracket();

        pos++; // '.'
        if (Peek() == '.')
        {
            pos++;
            if (Peek() == '*')
            {
                pos++;
                return new DeepScanSegment(new WildcardSegment());
            }

            if (Peek() == '[')
                return new DeepScanSegment(ParseBracket());
            return new DeepScanSegment(new PropertySegment(ParseDotName()));
        }

        if (Peek() == '*')
        {
            pos++;
            return new WildcardSegment();
        }

        // AWS documents "$.abc.['def ghi']" for intrinsic arguments; treat ".[" as "[".
        if (Peek() == '[')
            return ParseBracket();

        return new PropertySegment(ParseDotName());
    }

    private string ParseDotName()
    {
        var start = pos;
        while (!AtEnd && IsDotNameChar(Peek()))
            pos++;
        if (pos == start)
            throw Error(AtEnd ? "a name is expected after '.'" : $"unexpected character '{Peek()}' after '.'");
        return text[start..pos];
    }

    private PathSegment ParseBracket()
    {
        var open = pos;
        pos++; // '['
        SkipSpaces();
        PathSegment segment;
        switch (Peek())
        {
            case '*':
                pos++;
                segment = new WildcardSegment();
                break;
            case '\'' or '"':
                segment = ParseQuotedNames();
                break;
            case '?':
                segment = ParseFilterSegment();
                break;
            case '(':
                throw Error("script expressions '(...)' are not supported");
            default:
                if (char.IsAsciiDigit(Peek()) || Peek() == '-' || Peek() == ':')
                    segment = ParseIndexes();
                else if (AtEnd)
                    throw Error("unterminated '['", open);
                else
                    throw Error($"unexpected character '{Peek()}' inside '[...]'");
                break;
        }

        SkipSpaces();
        if (Peek() != ']')
            throw Error(AtEnd ? "missing ']'" : $"expected ']' but found '{Peek()}'");
        pos++;
        return segment;
    }

    private PathSegment ParseQuotedNames()
    {
        var names = new List<string>();
        while (true)
        {
            names.Add(ParseQuotedString());
            SkipSpaces();
            if (Peek() != ',')
                break;
            pos++;
            SkipSpaces();
            if (Peek() is not ('\'' or '"'))
                throw Error("a quoted name is expected after ','");
        }

        return names.Count == 1 ? new PropertySegment(names[0]) : new PropertyUnionSegment(names);
    }

    private string ParseQuotedString()
    {
        var quote = Peek();
        var start = pos;
        pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd)
                throw Error("unterminated quoted name", start);
            var c = Peek();
            if (c == quote)
            {
                pos++;
                return sb.ToString();
            }

            if (c == '\\' && pos + 1 < text.Length)
            {
                sb.Append(text[pos + 1]);
                pos += 2;
                continue;
            }

            sb.Append(c);
            pos++;
        }
    }

    private PathSegment ParseIndexes()
    {
        var first = ParseOptionalInt();
        SkipSpaces();
        if (Peek() == ':')
        {
            pos++;
            SkipSpaces();
            var end = ParseOptionalInt();
            int? step = null;
            SkipSpaces();
            if (Peek() == ':')
            {
                pos++;
                SkipSpaces();
                var stepAt = pos;
                step = ParseOptionalInt();
                if (step == 0)
                    throw Error("a slice step cannot be 0", stepAt);
            }

            return new SliceSegment(first, end, step);
        }

        if (first is null)
            throw Error("an index is expected");
        if (Peek() != ',')
            return new IndexSegment(first.Value);

        var indexes = new List<int> { first.Value };
        while (Peek() == ',')
        {
            pos++;
            SkipSpaces();
            indexes.Add(ParseOptionalInt() ?? throw Error("an index is expected after ','"));
            SkipSpaces();
        }

        return new IndexUnionSegment(indexes);
    }

    private int? ParseOptionalInt()
    {
        var start = pos;
        if (Peek() == '-')
            pos++;
        while (char.IsAsciiDigit(Peek()))
            pos++;
        if (pos == start)
            return null;
        if (!int.TryParse(text.AsSpan(start, pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw Error("invalid index", start);
        return value;
    }

    private PathSegment ParseFilterSegment()
    {
        pos++; // '?'
        SkipSpaces();
        if (Peek() != '(')
            throw Error("expected '(' after '?'");
        pos++;
        var expression = ParseOr();
        SkipSpaces();
        if (Peek() != ')')
            throw Error(AtEnd ? "missing ')' closing the filter" : $"unexpected '{Peek()}' in filter");
        pos++;
        return new FilterSegment(expression);
    }

    private FilterExpression ParseOr()
    {
        var left = ParseAnd();
        while (TryConsume("||"))
            left = new OrFilter(left, ParseAnd());
        return left;
    }

    private FilterExpression ParseAnd()
    {
        var left = ParseUnary();
        while (TryConsume("&&"))
            left = new AndFilter(left, ParseUnary());
        return left;
    }

    private FilterExpression ParseUnary()
    {
        SkipSpaces();
        if (Peek() == '!' && Peek(1) != '=')
        {
            pos++;
            return new NotFilter(ParseUnary());
        }

        if (Peek() == '(')
        {
            pos++;
            var inner = ParseOr();
            SkipSpaces();
            if (Peek() != ')')
                throw Error("missing ')'");
            pos++;
            return inner;
        }

        var left = ParseOperand();
        SkipSpaces();
        var op = TryParseComparison();
        if (op is null)
            return new ExistsFilter(left);
        SkipSpaces();
        return new CompareFilter(left, op.Value, ParseOperand());
    }

    private FilterComparison? TryParseComparison()
    {
        if (TryConsume("=="))
            return FilterComparison.Equal;
        if (TryConsume("!="))
            return FilterComparison.NotEqual;
        if (TryConsume("<="))
            return FilterComparison.LessOrEqual;
        if (TryConsume(">="))
            return FilterComparison.GreaterOrEqual;
        if (TryConsume("<"))
            return FilterComparison.Less;
        if (TryConsume(">"))
            return FilterComparison.Greater;
        if (Peek() == '=' && Peek(1) == '~')
            throw Error("regular-expression filters (=~) are not supported");
        return null;
    }

    private FilterOperand ParseOperand()
    {
        SkipSpaces();
        var c = Peek();
        if (c is '@' or '$')
            return FilterOperand.Path(ParsePath(insideFilter: true));
        if (c is '\'' or '"')
            return FilterOperand.Literal(JsonValue.Create(ParseQuotedString()));
        if (char.IsAsciiDigit(c) || c == '-')
            return FilterOperand.Literal(ParseNumberLiteral());
        foreach (var (word, value) in new[] { ("true", (JsonNode?)JsonValue.Create(true)), ("false", JsonValue.Create(false)), ("null", null) })
        {
            if (string.CompareOrdinal(text, pos, word, 0, word.Length) == 0 && !IsIdentifierPart(Peek(word.Length)))
            {
                pos += word.Length;
                return FilterOperand.Literal(value);
            }
        }

        throw Error(AtEnd ? "the filter ends too early" : $"unexpected '{c}' in filter");
    }

    private JsonNode ParseNumberLiteral()
    {
        var start = pos;
        if (Peek() == '-')
            pos++;
        while (char.IsAsciiDigit(Peek()) || Peek() is '.' or 'e' or 'E' || (Peek() is '+' or '-' && text[pos - 1] is 'e' or 'E'))
            pos++;
        var slice = text[start..pos];
        if (!decimal.TryParse(slice, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            throw Error($"invalid number '{slice}'", start);
        return JsonValue.Create(number);
    }

    private bool TryConsume(string token)
    {
        SkipSpaces();
        if (string.CompareOrdinal(text, pos, token, 0, token.Length) != 0)
            return false;
        pos += token.Length;
        return true;
    }

    private void SkipSpaces()
    {
        while (!AtEnd && char.IsWhiteSpace(Peek()))
            pos++;
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    // Anything but the characters that end a step, close a call or separate arguments.
    private static bool IsDotNameChar(char c) =>
        c != '\0' && !char.IsWhiteSpace(c) && c is not ('.' or '[' or ']' or '(' or ')' or ',' or '\'' or '"' or '=' or '!' or '<' or '>' or '&' or '|');
}
