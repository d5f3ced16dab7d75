using System.Text.RegularExpressions;

namespace StockFlow.Jsonata;

/// <summary>Compiles a JavaScript regular expression literal with .NET's engine.</summary>
internal static class RegexTranslator
{
    public static Regex Compile(string pattern, string flags, int position)
    {
        var options = RegexOptions.CultureInvariant;
        if (flags.Contains('i', StringComparison.Ordinal))
        {
            options |= RegexOptions.IgnoreCase;
        }

        if (flags.Contains('m', StringComparison.Ordinal))
        {
            options |= RegexOptions.Multiline;
        }

        try
        {
            // JavaScript's '$' (without m) matches only at the very end; \z is the .NET equivalent.
            return new Regex(pattern, options, TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException)
        {
            throw Errors.Create("S0301", position);
        }
    }
}
