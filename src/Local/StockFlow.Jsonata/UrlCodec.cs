using System.Globalization;
using System.Text;

namespace StockFlow.Jsonata;

/// <summary>JavaScript's encodeURI(Component) / decodeURI(Component); malformed input raises D3140.</summary>
internal static class UrlCodec
{
    private const string Unreserved = "-_.!~*'()";
    private const string Reserved = ";/?:@&=+$,#";

    public static string Encode(string s, bool component, string functionName)
    {
        var sb = new StringBuilder(s.Length);
        Span<byte> buffer = stackalloc byte[4];
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiLetterOrDigit(c) || Unreserved.Contains(c, StringComparison.Ordinal) || (!component && Reserved.Contains(c, StringComparison.Ordinal)))
            {
                sb.Append(c);
                continue;
            }

            int codePoint;
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                codePoint = char.ConvertToUtf32(c, s[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw Errors.Create("D3140", -1, value: s, text: functionName);
            }
            else
            {
                codePoint = c;
            }

            var n = new Rune(codePoint).EncodeToUtf8(buffer);
            for (var b = 0; b < n; b++)
            {
                sb.Append('%').Append(buffer[b].ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    public static string Decode(string s, bool component, string functionName)
    {
        var sb = new StringBuilder(s.Length);
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c != '%')
            {
                sb.Append(c);
                i++;
                continue;
            }

            var start = i;
            var first = ReadByte(s, i, functionName);
            i += 3;
            int count = first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : -1;
            if (count < 0)
            {
                throw Errors.Create("D3140", -1, value: s, text: functionName);
            }

            var bytes = new byte[count];
            bytes[0] = first;
            for (var k = 1; k < count; k++)
            {
                if (i >= s.Length || s[i] != '%')
                {
                    throw Errors.Create("D3140", -1, value: s, text: functionName);
                }

                bytes[k] = ReadByte(s, i, functionName);
                i += 3;
            }

            string decoded;
            try
            {
                decoded = new UTF8Encoding(false, true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw Errors.Create("D3140", -1, value: s, text: functionName);
            }

            if (!component && decoded.Length == 1 && Reserved.Contains(decoded[0], StringComparison.Ordinal))
            {
                sb.Append(s, start, i - start);
            }
            else
            {
                sb.Append(decoded);
            }
        }

        return sb.ToString();
    }

    private static byte ReadByte(string s, int i, string functionName)
    {
        if (i + 2 >= s.Length ||
            !byte.TryParse(s.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
        {
            throw Errors.Create("D3140", -1, value: s, text: functionName);
        }

        return b;
    }
}
