using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using StockFlow.Cli.Packaging;

namespace StockFlow.Deploy.Tests.Lambda;

/// <summary>
/// Lambda's provided.al2023 runtime has glibc 2.34. A native file linked on a newer distro can need a newer symbol
/// version and then fails only on AWS, at load time. Every ELF file in the shipped zips (the Native AOT bootstrap, and
/// any .so should one appear) is read with <see cref="ElfVersionReader"/>, no binutils needed, and compared.
/// </summary>
public sealed class GlibcVersionTests : IDisposable
{
    private static readonly Version Amazon2023Glibc = new(2, 34);

    private readonly string _work = Path.Combine(Path.GetTempPath(), $"stockflow-glibc-test-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    [Fact]
    public async Task Every_native_file_in_the_shipped_zips_needs_glibc_2_34_or_older()
    {
        await new ArtifactPackager(RepoPaths.Root, await PublishedBootstrap.DirectoryAsync()).PackageAsync(_work, CancellationToken.None);

        var natives = new List<string>();
        var needs = new List<(string File, ElfVersionNeed Need)>();
        foreach (var zipPath in Directory.EnumerateFiles(Path.Combine(_work, "lambda"), "*.zip").Order(StringComparer.Ordinal))
        {
            using var zip = ZipFile.OpenRead(zipPath);
            foreach (var entry in zip.Entries)
            {
                using var stream = entry.Open();
                using var bytes = new MemoryStream();
                await stream.CopyToAsync(bytes);
                var content = bytes.GetBuffer().AsSpan(0, (int)bytes.Length);
                if (ElfVersionReader.IsElf(content))
                {
                    var name = $"{Path.GetFileName(zipPath)}:{entry.FullName}";
                    natives.Add(name);
                    needs.AddRange(ElfVersionReader.Read(content).Select(need => (name, need)));
                }
            }
        }

        Assert.Contains("plan.zip:bootstrap", natives);
        var glibc = needs.Where(n => n.Need.Version.StartsWith("GLIBC_", StringComparison.Ordinal)).ToList();
        Assert.True(glibc.Count > 0, "No GLIBC version need was read at all: the check would pass vacuously.");
        // GLIBC_PRIVATE (no number) is no promise at all: any glibc update may drop it.
        var tooNew = glibc.Where(n => n.Need.Glibc is not { } release || release > Amazon2023Glibc)
            .Select(n => $"{n.File} needs {n.Need.Version} from {n.Need.Library}").Distinct().ToList();
        Assert.True(tooNew.Count == 0, string.Join('\n', tooNew));
    }

    [Fact]
    public void The_reader_finds_exactly_the_needs_of_a_file_built_here_byte_by_byte()
    {
        var needs = ElfVersionReader.Read(SyntheticElf([("libc.so.6", ["GLIBC_2.2.5", "GLIBC_2.34"]), ("libm.so.6", ["GLIBC_2.29"])]));

        Assert.Equal(
            [new ElfVersionNeed("libc.so.6", "GLIBC_2.2.5"), new ElfVersionNeed("libc.so.6", "GLIBC_2.34"), new ElfVersionNeed("libm.so.6", "GLIBC_2.29")],
            needs);
        Assert.Equal([new Version(2, 2, 5), new Version(2, 34), new Version(2, 29)], needs.Select(n => n.Glibc));
        Assert.Null(new ElfVersionNeed("libgcc_s.so.1", "GCC_3.0").Glibc);
        Assert.Null(new ElfVersionNeed("libc.so.6", "GLIBC_PRIVATE").Glibc);
    }

    [Fact]
    public void The_reader_reads_a_system_binary_as_the_loader_does()
    {
        // Any x86-64 program linked against glibc needs its base version GLIBC_2.2.5, and nothing newer than the glibc
        // it runs on (which the loader would refuse).
        var needs = ElfVersionReader.Read(File.ReadAllBytes("/bin/ls"));

        Assert.Contains(new ElfVersionNeed("libc.so.6", "GLIBC_2.2.5"), needs);
        Assert.All(needs, n => Assert.Matches(@"^[\w.+-]+\.so(\.\d+)*$", n.Library));
        var running = Version.Parse(Marshal.PtrToStringUTF8(GnuGetLibcVersion())!);
        Assert.All(needs.Where(n => n.Library == "libc.so.6"), n => Assert.True(n.Glibc <= running, $"{n.Version} is newer than this machine's glibc {running}"));
    }

    [Fact]
    public void A_file_without_a_dynamic_segment_needs_nothing()
    {
        var file = SyntheticElf([]);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(0x38), 1); // only the PT_LOAD header: a static executable

        Assert.Empty(ElfVersionReader.Read(file));
    }

    [Fact]
    public void Bad_input_is_an_ElfFormatException_naming_what_is_wrong()
    {
        var notElf = Assert.Throws<ElfFormatException>(() => ElfVersionReader.Read("#!/bin/sh\necho hello\n"u8));
        Assert.Contains("Not an ELF file", notElf.Message, StringComparison.Ordinal);
        Assert.False(ElfVersionReader.IsElf("MZ\u0090\0"u8));

        var elf32 = SyntheticElf([("libc.so.6", ["GLIBC_2.0"])]);
        elf32[4] = 1; // ELFCLASS32
        Assert.Contains("64-bit", Assert.Throws<ElfFormatException>(() => ElfVersionReader.Read(elf32)).Message, StringComparison.Ordinal);

        var whole = SyntheticElf([("libc.so.6", ["GLIBC_2.2.5"])]);
        Assert.Throws<ElfFormatException>(() => ElfVersionReader.Read(whole.AsSpan(0, 100)));
        Assert.Throws<ElfFormatException>(() => ElfVersionReader.Read(whole.AsSpan(0, whole.Length - 40)));
        Assert.Throws<ElfFormatException>(() => ElfVersionReader.Read("\u007fELF"u8));
    }

    /// <summary>
    /// A minimal x86-64 ELF file: the header, one PT_LOAD mapping the whole file at 0x400000, a PT_DYNAMIC naming the
    /// string table and the Elf64_Verneed chain (one entry per library, one Elf64_Vernaux per version), laid out as a
    /// linker would.
    /// </summary>
    private static byte[] SyntheticElf(IReadOnlyList<(string Library, string[] Versions)> needs)
    {
        const ulong baseAddress = 0x400000;
        var strings = new MemoryStream();
        strings.WriteByte(0);
        int Add(string text)
        {
            var at = (int)strings.Length;
            strings.Write(Encoding.ASCII.GetBytes(text + "\0"));
            return at;
        }

        var names = needs.Select(n => (File: Add(n.Library), Versions: n.Versions.Select(Add).ToList())).ToList();
        const int stringsAt = 64 + (2 * 56);
        var verneedAt = (stringsAt + (int)strings.Length + 7) & ~7;
        var verneedSize = needs.Sum(n => 16 + (16 * n.Versions.Length));
        var dynamicAt = verneedAt + verneedSize;
        var file = new byte[dynamicAt + (4 * 16)];
        var span = file.AsSpan();

        "\u007fELF"u8.CopyTo(span);
        span[4] = 2; // ELFCLASS64
        span[5] = 1; // little-endian
        span[6] = 1; // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(span[0x10..], 2); // ET_EXEC
        BinaryPrimitives.WriteUInt16LittleEndian(span[0x12..], 0x3E); // EM_X86_64
        BinaryPrimitives.WriteUInt64LittleEndian(span[0x20..], 64); // e_phoff
        BinaryPrimitives.WriteUInt16LittleEndian(span[0x36..], 56); // e_phentsize
        BinaryPrimitives.WriteUInt16LittleEndian(span[0x38..], 2); // e_phnum

        void ProgramHeader(int at, uint type, ulong offset, ulong address, ulong size)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan()[at..], type);
            BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan()[(at + 8)..], offset);
            BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan()[(at + 16)..], address);
            BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan()[(at + 32)..], size);
            BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan()[(at + 40)..], size);
        }

        ProgramHeader(64, 1, 0, baseAddress, (ulong)file.Length); // PT_LOAD
        ProgramHeader(64 + 56, 2, (ulong)dynamicAt, baseAddress + (ulong)dynamicAt, 4 * 16); // PT_DYNAMIC
        strings.ToArray().CopyTo(span[stringsAt..]);

        var at = verneedAt;
        for (var i = 0; i < names.Count; i++)
        {
            var (fileName, versions) = names[i];
            var entrySize = 16 + (16 * versions.Count);
            BinaryPrimitives.WriteUInt16LittleEndian(span[at..], 1); // vn_version
            BinaryPrimitives.WriteUInt16LittleEndian(span[(at + 2)..], (ushort)versions.Count); // vn_cnt
            BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 4)..], (uint)fileName); // vn_file
            BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 8)..], 16); // vn_aux
            BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 12)..], i == names.Count - 1 ? 0u : (uint)entrySize); // vn_next
            for (var v = 0; v < versions.Count; v++)
            {
                var aux = at + 16 + (16 * v);
                BinaryPrimitives.WriteUInt32LittleEndian(span[(aux + 8)..], (uint)versions[v]); // vna_name
                BinaryPrimitives.WriteUInt32LittleEndian(span[(aux + 12)..], v == versions.Count - 1 ? 0u : 16u); // vna_next
            }

            at += entrySize;
        }

        void Dynamic(int index, long tag, ulong value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan()[(dynamicAt + (16 * index))..], tag);
            BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan()[(dynamicAt + (16 * index) + 8)..], value);
        }

        Dynamic(0, 5, baseAddress + stringsAt); // DT_STRTAB
        Dynamic(1, 0x6ffffffe, baseAddress + (ulong)verneedAt); // DT_VERNEED
        Dynamic(2, 0x6fffffff, (ulong)names.Count); // DT_VERNEEDNUM
        Dynamic(3, 0, 0); // DT_NULL
        return file;
    }

    // glibc's own answer to "which release am I" (what `ldd --version` prints), without running a tool.
    [DllImport("libc", EntryPoint = "gnu_get_libc_version", ExactSpelling = true)]
    private static extern nint GnuGetLibcVersion();
}
