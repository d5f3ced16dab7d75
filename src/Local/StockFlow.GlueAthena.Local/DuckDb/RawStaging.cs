using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using StockFlow.Core.Csv;

namespace StockFlow.GlueAthena.Local.DuckDb;

/// <summary>
/// Read <see cref="Path"/> of <see cref="Symbol"/> from byte <see cref="Offset"/> on (0 = the whole file, header checked and
/// skipped). <see cref="Expected"/> is the digest the ingest recorded when it wrote the file (null: none recorded).
/// </summary>
internal sealed record RawSlice(string Symbol, string Path, long Offset, RawFileDigest? Expected = null);

/// <summary>A raw file as it was staged: the bytes read, their hash and the modification time seen before reading.</summary>
internal sealed record StagedFile(int FileNo, string Symbol, string Path, long Offset, long Size, DateTime ModifiedUtc, string Hash);

/// <summary>
/// Reads the records of many small raw CSVs once, parses them (<see cref="RawRecordParser"/>) and writes them typed
/// into one staging Parquet file per worker (<see cref="StagingParquetWriter"/>), so DuckDB scans a handful of typed,
/// columnar files instead of paying its per-file CSV reader set-up thousands of times and parsing text (those were
/// most of the transform's time). The cleaning rules are applied by the shared SQL over these rows. Records are split
/// on newlines outside double quotes; blank lines are not rows. Each file is hashed while it is read, for the manifest.
/// </summary>
internal sealed class RawStaging : IDisposable
{
    public const string ExpectedHeader = "Date,Open,High,Low,Close,Adj Close,Volume";

    private RawStaging(IReadOnlyList<string> paths, IReadOnlyList<StagedFile> files, long records)
    {
        Paths = paths;
        Files = files;
        Records = records;
    }

    /// <summary>A staged row's ingest order: files come in key order, lines in file order (a later one wins a duplicate).</summary>
    public static long SourceOrder(int fileNo, int line) => ((long)fileNo << 32) + line;

    /// <summary>SQL for the file_no of a <see cref="SourceOrder"/> column.</summary>
    public static string FileNoSql(string sourceOrderColumn) => sourceOrderColumn + " // 4294967296";

    /// <summary>One staging Parquet file per worker.</summary>
    public IReadOnlyList<string> Paths { get; }

    public IReadOnlyList<StagedFile> Files { get; }

    /// <summary>Records staged (blank lines are not records).</summary>
    public long Records { get; }

    /// <summary>Stages <paramref name="slices"/>; their order is the ingest order (later wins a duplicate), kept in file_no.</summary>
    public static RawStaging Write(IReadOnlyList<RawSlice> slices, string stagingDirectory, int? workers = null)
    {
        Directory.CreateDirectory(stagingDirectory);
        var chunks = Math.Max(1, Math.Min(workers ?? Environment.ProcessorCount, slices.Count));
        var run = Guid.NewGuid().ToString("N");
        var paths = Enumerable.Range(0, chunks)
            .Select(c => System.IO.Path.Combine(stagingDirectory, string.Create(CultureInfo.InvariantCulture, $"raw-{run}-{c}.parquet")))
            .ToArray();
        var files = new StagedFile[slices.Count];
        long records = 0;
        try
        {
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, chunk =>
            {
                // Contiguous ranges, so each staging file holds whole source files in key order.
                var from = (int)((long)slices.Count * chunk / chunks);
                var to = (int)((long)slices.Count * (chunk + 1) / chunks);
                Interlocked.Add(ref records, WriteChunk(slices, from, to, paths[chunk], files));
            });
        }
        catch (AggregateException e)
        {
            foreach (var path in paths)
            {
                File.Delete(path);
            }

            // A bad file is the caller's business (a clear InvalidDataException), not a parallel-loop wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }

        return new RawStaging(paths, files, records);
    }

    // The per-record path (here, RawRecordParser, StagingParquetWriter.Add) is compiled fully optimised at once: a
    // staging pass runs once per process, and under tiered compilation it spent most of its time in unoptimised tier-0
    // code (the staging step measured ~15% faster on 500 x 10 y).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long WriteChunk(IReadOnlyList<RawSlice> slices, int from, int to, string path, StagedFile[] files)
    {
        long records = 0;
        using var output = new StagingParquetWriter(path);
        var scratch = new byte[256];
        Span<Range> ranges = stackalloc Range[RawRecordParser.FieldCount];
        for (var fileNo = from; fileNo < to; fileNo++)
        {
            var slice = slices[fileNo];
            var modified = File.GetLastWriteTimeUtc(slice.Path);
            var bytes = File.ReadAllBytes(slice.Path);
            if (slice.Offset > bytes.Length)
            {
                throw new InvalidDataException(
                    $"Raw price file '{slice.Path}' is shorter ({bytes.Length} bytes) than the part already transformed ({slice.Offset} bytes).");
            }

            // Verified before trusted: a file that is not what the ingest wrote (truncated, overwritten) is never half-read.
            var hash = HashOf(bytes);
            if (slice.Expected is { } expected && (expected.Length != bytes.Length || !string.Equals(expected.Hash, hash, StringComparison.Ordinal)))
            {
                throw new DamagedRawFileException(slice.Symbol, slice.Path, bytes.Length, expected.Length);
            }

            var start = slice.Offset == 0 ? SkipHeader(bytes, slice.Path) : (int)slice.Offset;
            var line = slice.Offset == 0 ? 1 : 0;
            for (var recordStart = start; recordStart < bytes.Length;)
            {
                var recordEnd = RecordEnd(bytes, recordStart);
                var record = bytes.AsSpan(recordStart, recordEnd - recordStart);
                recordStart = recordEnd + 1;
                line++;
                if (IsBlank(record))
                {
                    continue;
                }

                records++;
                var parsed = RawRecordParser.Parse(RawRecordParser.Split(record, ranges, ref scratch));
                output.Add(SourceOrder(fileNo, line), parsed);
            }

            files[fileNo] = new StagedFile(fileNo, slice.Symbol, slice.Path, slice.Offset, bytes.Length, modified, hash);
        }

        return records;
    }

    /// <summary>The content hash the manifest keeps, to prove later that a grown file only gained bytes at its end.</summary>
    public static string HashOf(ReadOnlySpan<byte> bytes) => RawFileDigest.HashOf(bytes);

    /// <summary>
    /// Whether <paramref name="path"/> still starts with the <paramref name="length"/> bytes hashed as
    /// <paramref name="hash"/>, and those ended a record (a newline outside quotes), so what follows are new records.
    /// </summary>
    public static bool HasIntactPrefix(string path, long length, string hash)
    {
        if (length == 0)
        {
            return true;
        }

        var prefix = new byte[length];
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
            stream.ReadExactly(prefix);
        }
        catch (EndOfStreamException)
        {
            return false;
        }

        return prefix[^1] == (byte)'\n'
            && prefix.AsSpan().Count((byte)'"') % 2 == 0
            && string.Equals(HashOf(prefix), hash, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var path in Paths)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // A staging file left in the temp folder must not fail the job.
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int RecordEnd(byte[] bytes, int start)
    {
        var span = bytes.AsSpan(start);
        var newline = span.IndexOf((byte)'\n');

        // Look for a quote only up to the newline: scanning the rest of the file for each record was quadratic.
        if ((newline < 0 ? span : span[..newline]).IndexOf((byte)'"') < 0)
        {
            return newline < 0 ? bytes.Length : start + newline;
        }

        // A quoted field may hold newlines: walk it (a doubled quote toggles twice, so it stays inside).
        var inQuotes = false;
        for (var i = start; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'"')
            {
                inQuotes = !inQuotes;
            }
            else if (bytes[i] == (byte)'\n' && !inQuotes)
            {
                return i;
            }
        }

        return bytes.Length;
    }

    // Most records start with a digit: only one that starts with a blank byte is searched.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsBlank(ReadOnlySpan<byte> record) =>
        record.IsEmpty || (record[0] is (byte)' ' or (byte)'\t' or (byte)'\r' && record.Trim(" \t\r"u8).IsEmpty);

    /// <summary>Rows are read by position, so a file with other columns must stop the run, not be misread.</summary>
    private static int SkipHeader(byte[] bytes, string path)
    {
        if (bytes.Length == 0)
        {
            return 0;
        }

        var end = RecordEnd(bytes, 0);
        var header = Encoding.UTF8.GetString(bytes, 0, end).TrimStart('\uFEFF').TrimEnd('\r');
        if (!string.Equals(header.Replace("\"", "", StringComparison.Ordinal), ExpectedHeader, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Raw price file '{path}' has header '{header}'; expected '{ExpectedHeader}'.");
        }

        return Math.Min(end + 1, bytes.Length);
    }
}
