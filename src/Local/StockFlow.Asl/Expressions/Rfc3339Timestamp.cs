using System.Globalization;
using System.Text.RegularExpressions;

namespace StockFlow.Asl.Expressions;

/// <summary>
/// ASL timestamps: RFC3339 with an uppercase <c>T</c> between date and time and an uppercase <c>Z</c>
/// when there is no numeric offset (e.g. <c>2016-03-14T01:59:00Z</c>). Used by Choice rules and Wait.
/// </summary>
public static partial class Rfc3339Timestamp
{
    /// <summary>Reads an ASL timestamp (see the class); false for null and for any other shape, lowercase <c>t</c>/<c>z</c> included.</summary>
    /// <param name="text">The timestamp text.</param>
    /// <param name="instant">The instant, with the offset written; default when the method returns false.</param>
    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (text is null)
            return false;
        var match = Shape().Match(text);
        if (!match.Success)
            return false;

        // .NET parses at most 7 fractional digits; RFC3339 allows more, so trim the excess.
        var fraction = match.Groups["fraction"].Value;
        var normalized = fraction.Length > 8 ? text.Replace(fraction, fraction[..8], StringComparison.Ordinal) : text;
        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out instant);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?<fraction>\.\d+)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
