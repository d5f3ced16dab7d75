namespace StockFlow.Storage;

/// <summary>
/// The one parser of <c>s3://bucket/key</c> locations, as Athena (a query's <c>OutputLocation</c>) and Glue (a
/// crawler's target path) write them. It splits; each caller decides what a location it cannot use means.
/// </summary>
public static class S3Uri
{
    private const string Scheme = "s3://";

    /// <summary>
    /// Splits <paramref name="uri"/> into its bucket and key (the key may be empty: <c>s3://bucket</c> or
    /// <c>s3://bucket/</c>); false when it is not an <c>s3://</c> URI or names no bucket.
    /// </summary>
    public static bool TryParse(string? uri, out string bucket, out string key)
    {
        (bucket, key) = (string.Empty, string.Empty);
        if (uri is null || !uri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = uri.AsSpan(Scheme.Length);
        var slash = rest.IndexOf('/');
        var bucketPart = slash < 0 ? rest : rest[..slash];
        if (bucketPart.IsEmpty)
        {
            return false;
        }

        bucket = bucketPart.ToString();
        key = slash < 0 ? string.Empty : rest[(slash + 1)..].ToString();
        return true;
    }

    /// <summary>The URI of an object (or, with a key ending in '/', of a prefix).</summary>
    public static string Format(string bucket, string key) => $"{Scheme}{bucket}/{key}";
}
