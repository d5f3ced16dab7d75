using System.Globalization;
using System.Text;

namespace StockFlow.Jsonata;

internal enum TokenKind
{
    End,
    Name,
    Variable,
    String,
    Number,
    Value,
    Regex,
    Operator,
}

internal readonly record struct Token(TokenKind Kind, string Text, object? Literal, int Position);

/// <summary>Splits an expression into tokens; positions are the offset just past each token, as jsonata-js reports them.</summary>
internal sealed class Tokenizer
{
    private static readonly string[] TwoCharOperators = ["..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??"];
    private const string SingleCharOperators = ".[]{}(),@#;:?+-*/%|=<>^&!~";

    private readonly string _path;
    private int _position;

    public Tokenizer(string path) => _path = path;

    public Token Next(bool regexAllowed)
    {
        var path = _path;
        while (_position < path.Length)
        {
            var c = path[_position];
            if (c is ' ' or '\t' or '\n' or '\r' or '\v')
            {
                _position++;
            }
            else if (c == '/' && _position + 1 < path.Length && path[_position + 1] == '*')
            {
                var end = path.IndexOf("*/", _position + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw Errors.Create("S0106", _position);
                }

                _position = end + 2;
            }
            else
            {
                break;
            }
        }

        if (_position >= path.Length)
        {
            return new Token(TokenKind.End, "(end)", null, _position);
        }

        var ch = path[_position];
        if (regexAllowed && ch == '/')
        {
            _position++;
            return ScanRegex();
        }

        if (_position + 1 < path.Length)
        {
            var two = path.Substring(_position, 2);
            if (Array.IndexOf(TwoCharOperators, two) >= 0)
            {
                _position += 2;
                return new Token(TokenKind.Operator, two, null, _position);
            }
        }

        if (SingleCharOperators.Contains(ch, StringComparison.Ordinal))
        {
            _position++;
            if (ch is '!' or '~')
            {
                throw Errors.Create("S0204", _position, token: ch.ToString());
            }

            return new Token(TokenKind.Operator, ch.ToString(), null, _position);
        }

        if (ch is '"' or '\'')
        {
            return ScanString(ch);
        }

        if (ch is >= '0' and <= '9')
        {
            return ScanNumber();
        }

        if (ch == '`')
        {
            var end = path.IndexOf('`', _position + 1);
            if (end < 0)
            {
                _position = path.Length;
                throw Errors.Create("S0105", _position);
            }

            var name = path.Substring(_position + 1, end - _position - 1);
            _position = end + 1;
            return new Token(TokenKind.Name, name, null, _position);
        }

        var i = _position;
        while (i < path.Length)
        {
            var c = path[i];
            if (c is ' ' or '\t' or '\n' or '\r' or '\v' || SingleCharOperators.Contains(c, StringComparison.Ordinal))
            {
                break;
            }

            i++;
        }

        if (ch == '$')
        {
            var variable = path.Substring(_position + 1, i - _position - 1);
            _position = i;
            return new Token(TokenKind.Variable, variable, null, _position);
        }

        var word = path.Substring(_position, i - _position);
        _position = i;
        return word switch
        {
            "and" or "or" or "in" => new Token(TokenKind.Operator, word, null, _position),
            "true" => new Token(TokenKind.Value, word, true, _position),
            "false" => new Token(TokenKind.Value, word, false, _position),
            "null" => new Token(TokenKind.Value, word, JsonNull.Value, _position),
            _ => new Token(TokenKind.Name, word, null, _position),
        };
    }

    private Token ScanRegex()
    {
        var path = _path;
        var start = _position;
        var depth = 0;
        while (_position < path.Length)
        {
            var c = path[_position];
            if (c == '/' && depth == 0 && !IsEscaped(start))
            {
                var pattern = path.Substring(start, _position - start);
                if (pattern.Length == 0)
                {
                    throw Errors.Create("S0301", _position);
                }

                _position++;
                var flagsStart = _position;
                while (_position < path.Length && path[_position] is 'i' or 'm')
                {
                    _position++;
                }

                var flags = path.Substring(flagsStart, _position - flagsStart);
                return new Token(TokenKind.Regex, pattern, new RegexLiteral(pattern, flags), _position);
            }

            if (c is '(' or '[' or '{' && !IsEscaped(start))
            {
                depth++;
            }

            if (c is ')' or ']' or '}' && !IsEscaped(start))
            {
                depth--;
            }

            _position++;
        }

        throw Errors.Create("S0302", _position);
    }

    private bool IsEscaped(int start)
    {
        var count = 0;
        for (var j = _position - 1; j >= start && _path[j] == '\\'; j--)
        {
            count++;
        }

        return count % 2 == 1;
    }

    private Token ScanString(char quote)
    {
        var path = _path;
        _position++;
        var sb = new StringBuilder();
        while (_position < path.Length)
        {
            var c = path[_position];
            if (c == '\\')
            {
                _position++;
                if (_position >= path.Length)
                {
                    break;
                }

                c = path[_position];
                switch (c)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (_position + 4 < path.Length &&
                            int.TryParse(path.AsSpan(_position + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        {
                            sb.Append((char)code);
                            _position += 4;
                        }
                        else
                        {
                            throw Errors.Create("S0104", _position);
                        }

                        break;
                    default:
                        throw Errors.Create("S0103", _position, token: c.ToString());
                }
            }
            else if (c == quote)
            {
                _position++;
                var text = sb.ToString();
                return new Token(TokenKind.String, text, text, _position);
            }
            else
            {
                sb.Append(c);
            }

            _position++;
        }

        throw Errors.Create("S0101", _position);
    }

    private Token ScanNumber()
    {
        var path = _path;
        var i = _position;
        if (path[i] == '0')
        {
            i++;
        }
        else
        {
            while (i < path.Length && char.IsAsciiDigit(path[i]))
            {
                i++;
            }
        }

        if (i + 1 < path.Length && path[i] == '.' && char.IsAsciiDigit(path[i + 1]))
        {
            i++;
            while (i < path.Length && char.IsAsciiDigit(path[i]))
            {
                i++;
            }
        }

        if (i < path.Length && path[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < path.Length && path[j] is '+' or '-')
            {
                j++;
            }

            if (j < path.Length && char.IsAsciiDigit(path[j]))
            {
                while (j < path.Length && char.IsAsciiDigit(path[j]))
                {
                    j++;
                }

                i = j;
            }
        }

        var text = path.Substring(_position, i - _position);
        var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        _position = i;
        if (double.IsInfinity(value))
        {
            throw Errors.Create("S0102", _position, token: text);
        }

        return new Token(TokenKind.Number, text, value, _position);
    }
}

/// <summary>A regular expression literal <c>/pattern/flags</c>.</summary>
internal sealed record RegexLiteral(string Pattern, string Flags);
