using System.Buffers.Binary;
using System.Text;

namespace StockFlow.Deploy.Tests.Lambda;

/// <summary>One symbol version an ELF file needs from a shared library, e.g. <c>libc.so.6</c> / <c>GLIBC_2.34</c>.</summary>
public sealed record ElfVersionNeed(string Library, string Version)
{
    /// <summary>The glibc release of a <c>GLIBC_x.y[.z]</c> need; null for other names (GCC_3.0, GLIBC_PRIVATE).</summary>
    public Version? Glibc =>
        Version.StartsWith("GLIBC_", StringComparison.Ordinal) && System.Version.TryParse(Version["GLIBC_".Length..], out var release) ? release : null;
}

/// <summary>The bytes are not a 64-bit little-endian ELF file, or its dynamic section points outside the file.</summary>
public sealed class ElfFormatException : Exception
{
    public ElfFormatException() { }

    public ElfFormatException(string message) : base(message) { }

    public ElfFormatException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// Reads the symbol versions an x86-64 ELF file needs, the way the dynamic loader finds them: the program headers'
/// PT_DYNAMIC segment, its DT_VERNEED / DT_VERNEEDNUM / DT_STRTAB entries (addresses mapped to file offsets through the
/// PT_LOAD segments), then the Elf64_Verneed chain and each entry's Elf64_Vernaux chain (what <c>readelf -V</c> prints
/// under .gnu.version_r). Section headers are not used: stripping may drop them, the loader never reads them.
/// </summary>
public static class ElfVersionReader
{
    private const uint PtLoad = 1;
    private const uint PtDynamic = 2;
    private const long DtNull = 0;
    private const long DtStrtab = 5;
    private const long DtVerneed = 0x6ffffffe;
    private const long DtVerneedNum = 0x6fffffff;

    /// <summary>Whether <paramref name="bytes"/> start with the ELF magic number.</summary>
    public static bool IsElf(ReadOnlySpan<byte> bytes) => bytes.StartsWith("\u007fELF"u8);

    /// <summary>Every (library, version) the file needs, in file order; empty for a file linked statically or without versions.</summary>
    /// <exception cref="ElfFormatException">Not a 64-bit little-endian ELF file, or a table points outside it.</exception>
    public static IReadOnlyList<ElfVersionNeed> Read(ReadOnlySpan<byte> file)
    {
        if (!IsElf(file))
        {
            throw new ElfFormatException("Not an ELF file (no \\x7fELF magic number).");
        }

        if (file.Length < 64 || file[4] != 2 || file[5] != 1)
        {
            throw new ElfFormatException("Not a 64-bit little-endian ELF file (the only kind Lambda's x86_64 runtime loads).");
        }

        var phOffset = U64(file, 0x20);
        var phSize = U16(file, 0x36);
        var phCount = U16(file, 0x38);
        var loads = new List<(ulong Address, ulong Offset, ulong Size)>();
        (ulong Offset, ulong Size)? dynamic = null;
        for (var i = 0; i < phCount; i++)
        {
            var header = Checked(phOffset + ((ulong)i * phSize), 56, file.Length);
            var type = U32(file, header);
            if (type == PtLoad)
            {
                loads.Add((U64(file, header + 16), U64(file, header + 8), U64(file, header + 32)));
            }
            else if (type == PtDynamic)
            {
                dynamic = (U64(file, header + 8), U64(file, header + 32));
            }
        }

        if (dynamic is not { } table)
        {
            return [];
        }

        ulong? strtab = null, verneed = null, verneedCount = null;
        for (ulong entry = 0; entry + 16 <= table.Size; entry += 16)
        {
            var at = Checked(table.Offset + entry, 16, file.Length);
            var tag = (long)U64(file, at);
            var value = U64(file, at + 8);
            if (tag == DtNull)
            {
                break;
            }

            switch (tag)
            {
                case DtStrtab: strtab = value; break;
                case DtVerneed: verneed = value; break;
                case DtVerneedNum: verneedCount = value; break;
                default: break;
            }
        }

        if (verneed is null || verneedCount is null)
        {
            return [];
        }

        if (strtab is null)
        {
            throw new ElfFormatException("DT_VERNEED without DT_STRTAB: the version names cannot be read.");
        }

        var strings = ToOffset(strtab.Value, loads, file.Length);
        var needs = new List<ElfVersionNeed>();
        var need = ToOffset(verneed.Value, loads, file.Length);
        for (ulong n = 0; n < verneedCount.Value; n++)
        {
            var at = Checked(need, 16, file.Length);
            var auxCount = U16(file, at + 2);
            var library = String(file, strings + U32(file, at + 4));
            var aux = at + U32(file, at + 8);
            for (var a = 0; a < auxCount; a++)
            {
                var auxAt = Checked(aux, 16, file.Length);
                needs.Add(new ElfVersionNeed(library, String(file, strings + U32(file, auxAt + 8))));
                aux = auxAt + U32(file, auxAt + 12);
            }

            need = at + U32(file, at + 12);
        }

        return needs;
    }

    /// <summary>The file offset of a virtual address, through the PT_LOAD segment that maps it.</summary>
    private static ulong ToOffset(ulong address, List<(ulong Address, ulong Offset, ulong Size)> loads, int length)
    {
        foreach (var (start, offset, size) in loads)
        {
            if (address >= start && address - start < size)
            {
                return Checked(offset + (address - start), 1, length);
            }
        }

        throw new ElfFormatException($"Address 0x{address:x} is in no PT_LOAD segment.");
    }

    private static ulong Checked(ulong offset, int size, int length) =>
        offset <= (ulong)length && (ulong)length - offset >= (ulong)size
            ? offset
            : throw new ElfFormatException($"A table at offset {offset} runs past the end of the file ({length} bytes).");

    private static ushort U16(ReadOnlySpan<byte> file, ulong offset) => BinaryPrimitives.ReadUInt16LittleEndian(file[(int)Checked(offset, 2, file.Length)..]);

    private static uint U32(ReadOnlySpan<byte> file, ulong offset) => BinaryPrimitives.ReadUInt32LittleEndian(file[(int)Checked(offset, 4, file.Length)..]);

    private static ulong U64(ReadOnlySpan<byte> file, ulong offset) => BinaryPrimitives.ReadUInt64LittleEndian(file[(int)Checked(offset, 8, file.Length)..]);

    private static string String(ReadOnlySpan<byte> file, ulong offset)
    {
        var rest = file[(int)Checked(offset, 1, file.Length)..];
        var end = rest.IndexOf((byte)0);
        return end >= 0 ? Encoding.ASCII.GetString(rest[..end]) : throw new ElfFormatException($"The string at offset {offset} is not terminated.");
    }
}
