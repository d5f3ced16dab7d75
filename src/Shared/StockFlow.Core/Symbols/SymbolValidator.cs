using System.Globalization;
using System.Text;

namespace StockFlow.Core.Symbols;

/// <summary>
/// Checks a ticker before it becomes part of an object key, a file path or a URL. Accepted: 1-20 characters
/// from A-Z, 0-9 and <c>. - ^ =</c> (Yahoo's alphabet: <c>BRK-B</c>, <c>^GSPC</c>, <c>RDSA.AS</c>, <c>7203.T</c>,
/// <c>EURUSD=X</c>, <c>GC=F</c>, <c>BTC-USD</c>), starting with a letter, digit or '^', without "..", not
/// ending in '.'. Letters are upper-cased. Everything else (slashes, backslashes, whitespace, control
/// characters, '%', '&amp;', '?') is refused, so a symbol can never escape its key prefix or alter a query.
/// </summary>
public static class SymbolValidator
{
    /// <summary>The longest symbol accepted, in characters.</summary>
    public const int MaxLength = 20;

    /// <summary>Returns the upper-cased symbol or throws <see cref="InvalidSymbolException"/> naming the rule.</summary>
    public static string Validate(string? symbol)
    {
        if (TryValidate(symbol, out var normalized, out var error))
            return normalized;
        throw new InvalidSymbolException(symbol, error);
    }

    /// <summary>Whether <paramref name="symbol"/> is valid: <paramref name="normalized"/> is then the upper-cased symbol, else <paramref name="error"/> names the rule it broke.</summary>
    public static bool TryValidate(string? symbol, out string normalized, out string error)
    {
        normalized = string.Empty;
        error = string.Empty;
        if (string.IsNullOrEmpty(symbol))
        {
            error = "a symbol must not be empty";
            return false;
        }
        if (symbol.Length > MaxLength)
        {
            error = $"a symbol has at most {MaxLength} characters (this one has {symbol.Length})";
            return false;
        }
        foreach (var c in symbol)
        {
            if (!IsAllowed(c))
            {
                error = $"only letters A-Z, digits and . - ^ = are allowed, found {Describe(c)}";
                return false;
            }
        }
        if (symbol[0] is '.' or '-' or '=')
        {
            error = "a symbol starts with a letter, a digit or '^'";
            return false;
        }
        if (symbol.IndexOf('^', 1) >= 0)
        {
            error = "'^' may only be the first character";
            return false;
        }
        if (symbol.Contains("..", StringComparison.Ordinal))
        {
            error = "a symbol must not contain '..'";
            return false;
        }
        if (symbol[^1] == '.')
        {
            error = "a symbol must not end with '.'";
            return false;
        }
        if (symbol == "^")
        {
            error = "'^' alone is not a symbol";
            return false;
        }
        normalized = symbol.ToUpperInvariant();
        return true;
    }

    private static bool IsAllowed(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or '^' or '=';

    private static string Describe(char c)
    {
        if (char.IsControl(c) || char.IsWhiteSpace(c) || c > '~')
            return string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4} ({(char.IsWhiteSpace(c) ? "whitespace" : char.IsControl(c) ? "control character" : "non-ASCII")})");
        return $"'{c}'";
    }

    /// <summary>The symbol as it can be shown in a message: control characters escaped.</summary>
    public static string Printable(string? symbol)
    {
        if (symbol is null)
            return "(null)";
        var builder = new StringBuilder(symbol.Length);
        foreach (var c in symbol)
        {
            if (char.IsControl(c))
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else
                builder.Append(c);
        }
        return builder.ToString();
    }
}

/// <summary>A symbol broke a rule; <see cref="Rule"/> says which.</summary>
public sealed class InvalidSymbolException(string? symbol, string rule)
    : ArgumentException($"Symbol '{SymbolValidator.Printable(symbol)}' is not valid: {rule}.")
{
    /// <summary>The symbol as given.</summary>
    public string? Symbol { get; } = symbol;

    /// <summary>The rule it broke.</summary>
    public string Rule { get; } = rule;
}
