using System.Text;
using System.Text.RegularExpressions;

namespace StockFlow.Runtime.Local.Definitions;

/// <summary>
/// Substitutes the <c>${Name}</c> placeholders of a definition, as Pulumi does at deployment
/// (the state machine's DefinitionSubstitutions). Placeholders without a value are an error:
/// a half-substituted definition would fail much later with a confusing message.
/// </summary>
public static partial class DefinitionTemplate
{
    [GeneratedRegex(@"\$\{([A-Za-z][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    /// <summary>The distinct placeholder names (<c>Name</c> for <c>${Name}</c>) the definition uses.</summary>
    public static IReadOnlyCollection<string> PlaceholdersIn(string definition) =>
        Placeholder().Matches(definition).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Replaces every placeholder with its value, JSON-escaped (values land inside JSON strings).</summary>
    /// <exception cref="InvalidOperationException">A placeholder has no value in <paramref name="values"/>.</exception>
    public static string Substitute(string definition, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(values);
        var missing = PlaceholdersIn(definition).Where(name => !values.ContainsKey(name)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidOperationException(
                $"The definition uses placeholders with no local value: {string.Join(", ", missing.Select(m => "${" + m + "}"))}.");
        }

        return Placeholder().Replace(definition, m => JsonEscape(values[m.Groups[1].Value]));
    }

    // Values land inside JSON strings.
    private static string JsonEscape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                < ' ' => builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }
}
