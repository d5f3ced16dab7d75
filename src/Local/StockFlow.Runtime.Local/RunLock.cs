using System.Globalization;
using StockFlow.Functions.Hosting;

namespace StockFlow.Runtime.Local;

/// <summary>
/// One pipeline run per lake: a run holds an exclusive lock on <c>&lt;data-dir&gt;/pipeline.lock</c> for as long as it
/// runs. The operating system releases it when the process ends, even by kill -9, so a crashed run never leaves a
/// stale lock behind. A second run fails at once with a message naming the process that holds the lake.
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream _file;

    private RunLock(FileStream file) => _file = file;

    /// <summary>The lock file of a data directory.</summary>
    public static string PathOf(DataDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return Path.Combine(directory.Root, "pipeline.lock");
    }

    // Who holds the lock, beside it: the locked file itself cannot be read by another process.
    private static string OwnerPathOf(DataDirectory directory) => PathOf(directory) + ".owner";

    /// <summary>Takes the data directory's lock, or fails at once if another process holds it.</summary>
    /// <param name="directory">The data directory.</param>
    /// <param name="what">What the holder is doing, for the message another run shows (e.g. <c>"a redrive of run-1"</c>).</param>
    /// <param name="clock">Gives the time written beside the lock.</param>
    /// <exception cref="LakeBusyException">Another process holds the lock.</exception>
    public static RunLock Acquire(DataDirectory directory, string what, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var path = PathOf(directory);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            string holder;
            try
            {
                holder = File.ReadAllText(OwnerPathOf(directory)).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                holder = "another process";
            }

            throw new LakeBusyException(
                $"Another pipeline run is using {directory.Root} ({(holder.Length == 0 ? "another process" : holder)}). Wait for it to finish, or stop it (`stockflow stop <id>`), then start again.");
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"{what}, process {Environment.ProcessId}, since {clock.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC");
        File.WriteAllText(OwnerPathOf(directory), text);
        return new RunLock(file);
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _file.Dispose();
}
