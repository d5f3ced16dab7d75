using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using StockFlow.Core.Lake;
using StockFlow.Functions.Lake;

namespace StockFlow.Runtime.Local;

/// <summary>
/// Puts the symbols of a run into its input: a short list inline, a long one (a whole market) as a list in the
/// lake named by <c>symbolsKey</c>, so the execution's input and history stay small, as they must on AWS.
/// </summary>
public static class SymbolLists
{
    /// <summary>Longer lists go to the lake (about 2 KiB of input inline at most).</summary>
    public const int InlineLimit = 200;

    /// <summary>
    /// Sets <c>symbols</c> (at most <see cref="InlineLimit"/>) or <c>symbolsKey</c> (a list stored under its content's hash,
    /// so the same list is written once) in <paramref name="input"/>.
    /// </summary>
    /// <param name="input">The execution input to add to.</param>
    /// <param name="symbols">Comma-separated symbols, or <c>@FILE</c>: a file of symbols, one per line or comma-separated.</param>
    /// <param name="directory">The lake a long list is written to.</param>
    /// <exception cref="FileNotFoundException">The <c>@FILE</c> does not exist.</exception>
    public static void AddTo(JsonObject input, string symbols, DataDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(directory);
        var text = symbols.StartsWith('@') ? ReadFile(symbols[1..]) : symbols;
        var list = text.Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Length <= InlineLimit)
        {
            input["symbols"] = new JsonArray(list.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
            return;
        }

        var content = string.Join('\n', list) + "\n";
        var key = LakeKeys.SymbolList(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)))[..16]);
        var path = directory.PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".writing";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
        input["symbolsKey"] = key;
    }

    private static string ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The symbol list file '{path}' (--symbols @FILE) does not exist.", path);
        }

        return File.ReadAllText(path);
    }
}
