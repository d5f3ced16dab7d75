using System.Diagnostics;
using System.Text.RegularExpressions;

namespace StockFlow.Deploy.Tests.Lambda;

/// <summary>
/// Lambda's provided.al2023 runtime has glibc 2.34. A native file linked on a newer distro can
/// need a newer symbol version and then fails only on AWS, at load time. Read every ELF file's
/// version needs (.gnu.version_r, as <c>readelf -V</c> prints them) and compare.
/// </summary>
public sealed partial class GlibcVersionTests
{
    private static readonly Version Amazon2023Glibc = new(2, 34);

    [Fact]
    public void Every_native_file_in_the_bootstrap_bundle_needs_glibc_2_34_or_older()
    {
        var bundle = Path.GetDirectoryName(RepoPaths.Bootstrap)!;
        var natives = Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories).Where(IsElf).ToList();
        Assert.Contains(natives, f => Path.GetFileName(f) == "bootstrap");
        Assert.Contains(natives, f => Path.GetFileName(f) == "libcoreclr.so");

        var tooNew = new List<string>();
        var seen = 0;
        foreach (var file in natives)
        {
            foreach (var version in GlibcVersionsNeeded(file))
            {
                seen++;
                if (version > Amazon2023Glibc)
                {
                    tooNew.Add($"{Path.GetRelativePath(bundle, file)} needs GLIBC_{version}");
                }
            }
        }

        Assert.True(seen > 0, "No GLIBC version needs were read at all: the check would pass vacuously.");
        Assert.True(tooNew.Count == 0, string.Join('\n', tooNew));
    }

    [Fact]
    public void The_version_reader_reads_the_glibc_needs_of_a_system_binary()
    {
        // This machine's own libc-linked tools are built against its glibc; at least one need must parse.
        var versions = GlibcVersionsNeeded("/bin/ls");
        Assert.NotEmpty(versions);
        Assert.Contains(versions, v => v >= new Version(2, 2));
    }

    private static bool IsElf(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.Read(magic) == 4 && magic.SequenceEqual("\u007fELF"u8);
    }

    private static List<Version> GlibcVersionsNeeded(string file)
    {
        var info = new ProcessStartInfo("readelf", ["--version-info", "--wide", file]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"readelf failed on {file}: {process.StandardError.ReadToEnd()}");

        // Only the version-needs section counts (what the file asks of the system's libraries).
        var needs = output.IndexOf(".gnu.version_r", StringComparison.Ordinal);
        if (needs < 0)
        {
            return [];
        }

        return NeededGlibc().Matches(output[needs..]).Select(m => Version.Parse(m.Groups[1].Value)).ToList();
    }

    [GeneratedRegex(@"Name: GLIBC_(\d+\.\d+(?:\.\d+)?)")]
    private static partial Regex NeededGlibc();
}
