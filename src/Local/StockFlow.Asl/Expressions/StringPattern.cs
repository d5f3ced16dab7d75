namespace StockFlow.Asl.Expressions;

/// <summary>
/// StringMatches patterns: <c>*</c> matches any run of characters (possibly empty); <c>\*</c> is a
/// literal star and <c>\\</c> a literal backslash. Nothing else is special.
/// </summary>
public static class StringPattern
{
    /// <summary>True when <paramref name="pattern"/> matches the whole of <paramref name="value"/> (ordinal, case-sensitive).</summary>
    public static bool Matches(string value, string pattern)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(pattern);
        var tokens = Tokenize(pattern);

        // Classic greedy wildcard match with backtracking to the last star.
        int v = 0, t = 0, starToken = -1, starValue = 0;
        while (v < value.Length)
        {
            if (t < tokens.Count && tokens[t] is { IsStar: false } literal && literal.Char == value[v])
            {
                v++;
                t++;
            }
            else if (t < tokens.Count && tokens[t].IsStar)
            {
                starToken = t++;
                starValue = v;
            }
            else if (starToken >= 0)
            {
                t = starToken + 1;
                v = ++starValue;
            }
            else
            {
                return false;
            }
        }

        while (t < tokens.Count && tokens[t].IsStar)
            t++;
        return t == tokens.Count;
    }

    private static List<(bool IsStar, char Char)> Tokenize(string pattern)
    {
        var tokens = new List<(bool IsStar, char Char)>(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length && pattern[i + 1] is '*' or '\\')
                tokens.Add((false, pattern[++i]));
            else
                tokens.Add((c == '*', c));
        }

        return tokens;
    }
}
