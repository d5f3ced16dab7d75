using System.Text;

namespace StockFlow.Reporting.Html;

/// <summary>
/// Writes the page as UTF-8 straight to its destination: markup as text, and large JSON blocks as bytes from a
/// <see cref="System.Text.Json.Utf8JsonWriter"/>, so the page never exists as a string or in several copies.
/// </summary>
internal sealed class PageWriter(Stream output) : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly StreamWriter _text = new(output, Utf8NoBom, bufferSize: 1 << 16, leaveOpen: true);

    public PageWriter Append(string text)
    {
        _text.Write(text);
        return this;
    }

    public PageWriter Append(StringBuilder text)
    {
        _text.Write(text);
        return this;
    }

    /// <summary>Lets <paramref name="write"/> put UTF-8 bytes at the current position of the page.</summary>
    public void AppendUtf8(Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        _text.Flush();
        write(output);
    }

    /// <summary>Flushes what is buffered; the destination stream stays open (it belongs to the caller).</summary>
    public void Dispose() => _text.Dispose();
}
