namespace StockFlow.Jsonata.Suite;

/// <summary>
/// known-failures.txt: the cases the engine is known not to pass, one a line as "&lt;case id&gt; &lt;reason&gt;";
/// blank lines and lines starting with '#' are ignored. A reason is required, so every entry says why.
/// </summary>
public static class KnownFailures
{
    /// <summary>The file copied beside the built assembly.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "known-failures.txt");

    /// <summary>Case id to reason.</summary>
    public static IReadOnlyDictionary<string, string> Load(string path)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var split = line.IndexOfAny([' ', '\t']);
            if (split < 0)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: '{line}' has no reason");
            }

            var id = line[..split];
            if (!entries.TryAdd(id, line[split..].Trim()))
            {
                throw new InvalidDataException($"{path}:{lineNumber}: {id} is listed twice");
            }
        }

        return entries;
    }
}
