using System.Text;

namespace StockFlow.Storage;

/// <summary>
/// Orders keys as S3 lists them: by their UTF-8 bytes. This equals ordinal order except
/// for characters above U+E000 against surrogate pairs, where S3's order is kept.
/// </summary>
public sealed class Utf8KeyComparer : IComparer<string>
{
    /// <summary>The one instance (the comparer has no state).</summary>
    public static Utf8KeyComparer Instance { get; } = new();

    /// <inheritdoc/>
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        return Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y));
    }
}
