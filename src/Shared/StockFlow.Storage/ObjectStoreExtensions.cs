using System.Runtime.InteropServices;
using System.Text;

namespace StockFlow.Storage;

/// <summary>Conveniences every store gets for free, written once against <see cref="IObjectStore"/>.</summary>
public static class ObjectStoreExtensions
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes <paramref name="content"/> as the whole object <paramref name="key"/> (see <see cref="IObjectStore.PutAsync"/>).</summary>
    public static async Task PutAsync(this IObjectStore store, string bucket, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        // Read the caller's array in place when there is one; the store only reads the stream.
        using var stream = MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        await store.PutAsync(bucket, key, stream, cancellationToken);
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark.</summary>
    public static Task PutTextAsync(this IObjectStore store, string bucket, string key, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return store.PutAsync(bucket, key, Utf8NoBom.GetBytes(text), cancellationToken);
    }

    /// <summary>The whole object, or null when the key does not exist.</summary>
    public static async Task<byte[]?> GetBytesAsync(this IObjectStore store, string bucket, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var stream = await store.GetAsync(bucket, key, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken);
            return copy.ToArray();
        }
    }

    /// <summary>The object decoded as UTF-8 (a leading byte-order mark is dropped), or null when the key does not exist.</summary>
    public static async Task<string?> GetTextAsync(this IObjectStore store, string bucket, string key, CancellationToken cancellationToken = default)
    {
        var bytes = await store.GetBytesAsync(bucket, key, cancellationToken);
        if (bytes is null)
        {
            return null;
        }

        var span = bytes.AsSpan();
        if (span.StartsWith(Utf8NoBom.Preamble))
        {
            span = span[Utf8NoBom.Preamble.Length..];
        }

        return Utf8NoBom.GetString(span);
    }

    /// <summary>Whether the object <paramref name="key"/> exists in <paramref name="bucket"/>.</summary>
    public static async Task<bool> ExistsAsync(this IObjectStore store, string bucket, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return await store.GetObjectInfoAsync(bucket, key, cancellationToken) is not null;
    }
}
