using System.Text;

namespace StockFlow.Core.Sample;

/// <summary>FNV-1a over UTF-8: the same 64-bit value for the same text in every process and on every machine.</summary>
internal static class StableHash
{
    public static ulong Of(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 0x100000001B3UL;
        }
        return hash;
    }
}
