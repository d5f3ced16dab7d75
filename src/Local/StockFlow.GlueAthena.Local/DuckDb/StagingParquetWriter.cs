using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Schema;

namespace StockFlow.GlueAthena.Local.DuckDb;

/// <summary>
/// Writes parsed raw records to one staging Parquet file (uncompressed; it lives for one transform), column by column
/// in row groups. The columns are what the raw_typed relation exposes, except the symbol (joined from the file, see
/// <see cref="RawPricesRelation"/>): source_order, the typed values (null when missing, unparseable or not finite),
/// adj_close_given, volume_given, record_error and date_text (only for a date that did not parse). A worker thread owns one writer; Parquet.Net's API is asynchronous, the staging pass is not, hence the waits.
/// </summary>
internal sealed class StagingParquetWriter : IDisposable
{
    private const int RowGroupRows = 128 * 1024;

    private static readonly DataField<long> SourceOrder = new("source_order");
    private static readonly DataField<DateOnly?> TradeDate = new("trade_date");
    private static readonly DataField<double?>[] Prices =
        [new("open"), new("high"), new("low"), new("close"), new("adj_close")];

    private static readonly DataField<bool> AdjCloseGiven = new("adj_close_given");
    private static readonly DataField<double?> Volume = new("volume");
    private static readonly DataField<bool> VolumeGiven = new("volume_given");
    private static readonly DataField<string> RecordError = new("record_error");
    private static readonly DataField<string> DateText = new("date_text");

    private static readonly ParquetSchema Schema = new(
        [SourceOrder, TradeDate, .. Prices, AdjCloseGiven, Volume, VolumeGiven, RecordError, DateText]);

    private readonly FileStream stream;
    private readonly ParquetWriter writer;
    private readonly long[] sourceOrders = new long[RowGroupRows];
    private readonly DateOnly?[] dates = new DateOnly?[RowGroupRows];
    private readonly double?[][] prices = [.. Enumerable.Range(0, 5).Select(_ => new double?[RowGroupRows])];
    private readonly bool[] adjCloseGiven = new bool[RowGroupRows];
    private readonly double?[] volumes = new double?[RowGroupRows];
    private readonly bool[] volumeGiven = new bool[RowGroupRows];
    private readonly string?[] recordErrors = new string?[RowGroupRows];
    private readonly string?[] dateTexts = new string?[RowGroupRows];
    private int count;

    public StagingParquetWriter(string path)
    {
        stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        try
        {
            writer = ParquetWriter.CreateAsync(Schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.None })
                .GetAwaiter().GetResult();
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(long sourceOrder, in ParsedRecord record)
    {
        sourceOrders[count] = sourceOrder;
        dates[count] = record.Date;
        prices[0][count] = record.Open;
        prices[1][count] = record.High;
        prices[2][count] = record.Low;
        prices[3][count] = record.Close;
        prices[4][count] = record.AdjClose;
        adjCloseGiven[count] = record.AdjCloseGiven;
        volumes[count] = record.Volume;
        volumeGiven[count] = record.VolumeGiven;
        recordErrors[count] = record.RecordError;
        dateTexts[count] = record.DateText;
        if (++count == RowGroupRows)
        {
            Flush();
        }
    }

    public void Dispose()
    {
        try
        {
            Flush();
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            stream.Dispose();
        }
    }

    private void Flush()
    {
        // An empty row group is still a valid file for DuckDB; a file needs no row group at all.
        if (count == 0)
        {
            return;
        }

        using (var group = writer.CreateRowGroup())
        {
            Wait(group.WriteAsync<long>(SourceOrder, sourceOrders.AsMemory(0, count)));
            Wait(group.WriteAsync<DateOnly>(TradeDate, dates.AsMemory(0, count)));
            for (var i = 0; i < prices.Length; i++)
            {
                Wait(group.WriteAsync<double>(Prices[i], prices[i].AsMemory(0, count)));
            }

            Wait(group.WriteAsync<bool>(AdjCloseGiven, adjCloseGiven.AsMemory(0, count)));
            Wait(group.WriteAsync<double>(Volume, volumes.AsMemory(0, count)));
            Wait(group.WriteAsync<bool>(VolumeGiven, volumeGiven.AsMemory(0, count)));
            Wait(group.WriteAsync(RecordError, recordErrors[..count]!));
            Wait(group.WriteAsync(DateText, dateTexts[..count]!));
        }

        count = 0;
    }

    private static void Wait(Task task) => task.GetAwaiter().GetResult();
}
