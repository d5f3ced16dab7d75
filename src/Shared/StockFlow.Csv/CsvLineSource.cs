using System.Buffers;

namespace StockFlow.Csv;

/// <summary>
/// The lines of a <see cref="TextReader"/> as spans over one pooled buffer, split exactly as
/// <see cref="TextReader.ReadLine"/> splits them (at "\n", "\r" or "\r\n"; no empty line after a final line end),
/// so reading a file does not allocate a string per line. A line is valid until the next call to <see cref="Next"/>.
/// </summary>
internal sealed class CsvLineSource(TextReader reader) : IDisposable
{
    private char[] buffer = ArrayPool<char>.Shared.Rent(8192);
    private int start;
    private int end;
    private int lineStart;
    private int lineLength;
    private bool endOfInput;

    public ReadOnlySpan<char> Line => buffer.AsSpan(lineStart, lineLength);

    public bool Next()
    {
        while (true)
        {
            var pending = buffer.AsSpan(start, end - start);
            var lineEnd = pending.IndexOfAny('\r', '\n');
            if (lineEnd >= 0)
            {
                // A '\r' at the end of the buffer may be the first half of "\r\n": read on before deciding.
                if (pending[lineEnd] == '\r' && lineEnd == pending.Length - 1 && !endOfInput)
                {
                    Fill();
                    continue;
                }

                lineStart = start;
                lineLength = lineEnd;
                start += lineEnd + (pending[lineEnd] == '\r' && lineEnd + 1 < pending.Length && pending[lineEnd + 1] == '\n' ? 2 : 1);
                return true;
            }

            if (endOfInput)
            {
                if (pending.IsEmpty)
                    return false;
                lineStart = start;
                lineLength = pending.Length;
                start = end;
                return true;
            }

            Fill();
        }
    }

    public void Dispose()
    {
        var rented = buffer;
        buffer = [];
        if (rented.Length > 0)
            ArrayPool<char>.Shared.Return(rented);
    }

    private void Fill()
    {
        var pending = end - start;
        if (start > 0)
        {
            Array.Copy(buffer, start, buffer, 0, pending);
            start = 0;
            end = pending;
        }

        if (end == buffer.Length)
        {
            // One line longer than the buffer: grow it.
            var larger = ArrayPool<char>.Shared.Rent(buffer.Length * 2);
            Array.Copy(buffer, larger, end);
            ArrayPool<char>.Shared.Return(buffer);
            buffer = larger;
        }

        var read = reader.Read(buffer, end, buffer.Length - end);
        if (read == 0)
            endOfInput = true;
        else
            end += read;
    }
}
