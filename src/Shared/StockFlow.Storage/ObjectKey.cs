using System.Text;

namespace StockFlow.Storage;

/// <summary>
/// The rules every store applies to bucket names, keys and prefixes. They are the
/// intersection of what S3 accepts and what a folder can hold safely: a key that passes
/// can never point outside its bucket folder, and means the same object on S3.
/// </summary>
public static class ObjectKey
{
    /// <summary>S3's limit on a key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>
    /// Ending reserved for the local lake's in-progress writes; no key segment may use it,
    /// so a half-written temp file can never be mistaken for an object.
    /// </summary>
    public const string TempFileSuffix = ".sf-tmp";

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="key"/> is a valid object key.</summary>
    public static void Validate(string key, string paramName = "key")
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (key.Length == 0)
        {
            throw new ArgumentException("Object key must not be empty.", paramName);
        }

        ValidatePath(key, paramName, allowTrailingSlash: false);
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="prefix"/> is a valid listing
    /// prefix: empty, or a key's start (it may end with '/' or mid-segment).
    /// </summary>
    public static void ValidatePrefix(string prefix, string paramName = "prefix")
    {
        ArgumentNullException.ThrowIfNull(prefix, paramName);
        if (prefix.Length > 0)
        {
            ValidatePath(prefix, paramName, allowTrailingSlash: true);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="bucket"/> follows S3's bucket naming rules.</summary>
    public static void ValidateBucket(string bucket, string paramName = "bucket")
    {
        ArgumentNullException.ThrowIfNull(bucket, paramName);
        var valid = bucket.Length is >= 3 and <= 63
            && IsLowerAlphanumeric(bucket[0])
            && IsLowerAlphanumeric(bucket[^1])
            && bucket.All(c => IsLowerAlphanumeric(c) || c is '-' or '.')
            && !bucket.Contains("..", StringComparison.Ordinal);
        if (!valid)
        {
            throw new ArgumentException(
                $"Bucket name '{bucket}' is invalid: use 3-63 lowercase letters, digits, '-' or '.', starting and ending with a letter or digit.",
                paramName);
        }
    }

    private static bool IsLowerAlphanumeric(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');

    private static void ValidatePath(string path, string paramName, bool allowTrailingSlash)
    {
        if (Encoding.UTF8.GetByteCount(path) > MaxKeyBytes)
        {
            throw new ArgumentException($"'{path}' is longer than {MaxKeyBytes} UTF-8 bytes.", paramName);
        }

        foreach (var c in path)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"'{Printable(path)}' contains a control character (U+{(int)c:X4}).", paramName);
            }

            if (c == '\\')
            {
                throw new ArgumentException($"'{path}' contains a backslash; keys separate folders with '/'.", paramName);
            }
        }

        if (path[0] == '/')
        {
            throw new ArgumentException($"'{path}' starts with '/'; keys are relative to the bucket.", paramName);
        }

        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var isLast = i == segments.Length - 1;
            if (segment.Length == 0)
            {
                if (isLast && allowTrailingSlash)
                {
                    continue;
                }

                throw new ArgumentException($"'{path}' has an empty segment ('//' or a trailing '/').", paramName);
            }

            // A prefix may stop mid-segment ("symbol=BR"), so only whole segments are checked for dots.
            if (segment is "." or ".." && !(isLast && allowTrailingSlash))
            {
                throw new ArgumentException($"'{path}' has a '{segment}' segment; keys cannot navigate folders.", paramName);
            }

            if (segment.EndsWith(TempFileSuffix, StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{path}' has a segment ending in '{TempFileSuffix}', reserved for in-progress writes.", paramName);
            }
        }
    }

    private static string Printable(string s) =>
        string.Concat(s.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
