using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace StockFlow.ControlPlane.Pages;

/// <summary>
/// Draws a state machine definition as SVG: states in rows by their distance from StartAt, Next
/// and Choice edges, Catch edges dashed red, loops curved on the side, Map and Parallel as boxes
/// holding their inner machines; each state filled by its status in the execution.
/// </summary>
internal static class StateGraph
{
    private const double RowGap = 44;
    private const double ColumnGap = 28;
    private const double Margin = 16;
    private const double Header = 26;
    private const double SideLane = 40;

    private sealed record Edge(string From, string To, string Kind, string? Label);

    private sealed class Box
    {
        public required string Name { get; init; }

        public required string Type { get; init; }

        public double W { get; set; }

        public double H { get; set; }

        public double X { get; set; }

        public double Y { get; set; }

        public int Rank { get; set; }

        public List<Graph> Inner { get; } = [];
    }

    private sealed class Graph
    {
        public Dictionary<string, Box> Boxes { get; } = new(StringComparer.Ordinal);

        public List<Edge> Edges { get; } = [];

        public string? Start { get; init; }

        public double W { get; set; }

        public double H { get; set; }
    }

    /// <summary>The SVG of a definition; <paramref name="statuses"/> maps state names to succeeded, failed, running or caught.</summary>
    public static string Render(string definitionJson, IReadOnlyDictionary<string, string> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        if (JsonNode.Parse(definitionJson) is not JsonObject machine)
        {
            return "<p class=\"error\">The definition is not a JSON object.</p>";
        }

        var graph = Build(machine);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"state-graph\" width=\"{N(graph.W)}\" height=\"{N(graph.H)}\" viewBox=\"0 0 {N(graph.W)} {N(graph.H)}\">");
        svg.Append("""
            <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#57606a"/></marker>
            <marker id="arrow-catch" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#cf222e"/></marker>
            <marker id="arrow-choice" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#0969da"/></marker>
            </defs>
            """);
        Draw(graph, 0, 0, statuses, svg);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static Graph Build(JsonObject machine)
    {
        var graph = new Graph { Start = machine["StartAt"] is JsonValue s && s.TryGetValue<string>(out var start) ? start : null };
        if (machine["States"] is not JsonObject states)
        {
            return graph;
        }

        foreach (var (name, node) in states)
        {
            if (node is not JsonObject state)
            {
                continue;
            }

            var type = Text(state, "Type") ?? "?";
            var box = new Box { Name = name, Type = type };
            if (Text(state, "Next") is { } next)
            {
                graph.Edges.Add(new Edge(name, next, "next", null));
            }

            if (state["Choices"] is JsonArray choices)
            {
                for (var i = 0; i < choices.Count; i++)
                {
                    if (choices[i] is JsonObject choice && Text(choice, "Next") is { } target)
                    {
                        graph.Edges.Add(new Edge(name, target, "choice", Shorten(ChoiceLabel(choice, i))));
                    }
                }
            }

            if (Text(state, "Default") is { } fallback)
            {
                graph.Edges.Add(new Edge(name, fallback, "choice", null));
            }

            if (state["Catch"] is JsonArray catchers)
            {
                foreach (var catcher in catchers.OfType<JsonObject>())
                {
                    if (Text(catcher, "Next") is { } target)
                    {
                        var errors = catcher["ErrorEquals"] is JsonArray e ? string.Join(",", e.Select(x => x?.ToString())) : "?";
                        graph.Edges.Add(new Edge(name, target, "catch", Shorten("catch " + errors)));
                    }
                }
            }

            if (type == "Map" && (state["ItemProcessor"] ?? state["Iterator"]) is JsonObject processor)
            {
                box.Inner.Add(Build(processor));
            }

            if (type == "Parallel" && state["Branches"] is JsonArray branches)
            {
                box.Inner.AddRange(branches.OfType<JsonObject>().Select(Build));
            }

            Size(box);
            graph.Boxes[name] = box;
        }

        Place(graph);
        return graph;
    }

    private static void Size(Box box)
    {
        var label = Math.Max(box.Name.Length * 7.2, box.Type.Length * 6.5) + 28;
        if (box.Inner.Count == 0)
        {
            box.W = Math.Max(130, label);
            box.H = 40;
            return;
        }

        box.W = Math.Max(label, box.Inner.Sum(g => g.W) + (ColumnGap * (box.Inner.Count - 1)) + 16);
        box.H = Header + box.Inner.Max(g => g.H) + 8;
    }

    /// <summary>
    /// Rows by the longest path from StartAt with loops cut (each state below every state that leads
    /// to it), so the failure route that many states catch into sits at the bottom.
    /// </summary>
    private static void Place(Graph graph)
    {
        var edges = graph.Edges.Where(e => graph.Boxes.ContainsKey(e.From) && graph.Boxes.ContainsKey(e.To) && e.From != e.To).ToList();
        var back = new HashSet<Edge>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 on the DFS stack, 2 done
        void Visit(string node)
        {
            state[node] = 1;
            foreach (var edge in edges.Where(e => e.From == node))
            {
                if (state.GetValueOrDefault(edge.To) == 1)
                {
                    back.Add(edge);
                }
                else if (!state.ContainsKey(edge.To))
                {
                    Visit(edge.To);
                }
            }

            state[node] = 2;
        }

        if (graph.Start is not null && graph.Boxes.ContainsKey(graph.Start))
        {
            Visit(graph.Start);
        }

        foreach (var name in graph.Boxes.Keys.Where(n => !state.ContainsKey(n)).ToList())
        {
            Visit(name);
        }

        var forward = edges.Where(e => !back.Contains(e)).ToList();
        var incoming = graph.Boxes.Keys.ToDictionary(n => n, n => forward.Count(e => e.To == n), StringComparer.Ordinal);
        var ranks = graph.Boxes.Keys.ToDictionary(n => n, _ => 0, StringComparer.Ordinal);
        var ready = new Queue<string>(graph.Boxes.Keys.Where(n => incoming[n] == 0));
        while (ready.Count > 0)
        {
            var node = ready.Dequeue();
            foreach (var edge in forward.Where(e => e.From == node))
            {
                ranks[edge.To] = Math.Max(ranks[edge.To], ranks[node] + 1);
                if (--incoming[edge.To] == 0)
                {
                    ready.Enqueue(edge.To);
                }
            }
        }

        foreach (var box in graph.Boxes.Values)
        {
            box.Rank = ranks[box.Name];
        }

        var rows = graph.Boxes.Values.GroupBy(b => b.Rank).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        var width = rows.Count == 0 ? 100 : rows.Max(r => r.Sum(b => b.W) + (ColumnGap * (r.Count - 1))) + (2 * Margin);
        var y = Margin;
        foreach (var row in rows)
        {
            var rowWidth = row.Sum(b => b.W) + (ColumnGap * (row.Count - 1));
            var x = SideLane + ((width - rowWidth) / 2);
            var height = row.Max(b => b.H);
            foreach (var box in row)
            {
                box.X = x;
                box.Y = y + ((height - box.H) / 2);
                x += box.W + ColumnGap;
            }

            y += height + RowGap;
        }

        graph.W = width + (2 * SideLane); // lanes for catch edges (left) and loops (right)
        graph.H = y - RowGap + Margin;
    }

    private static void Draw(Graph graph, double ox, double oy, IReadOnlyDictionary<string, string> statuses, StringBuilder svg)
    {
        foreach (var edge in graph.Edges)
        {
            if (!graph.Boxes.TryGetValue(edge.From, out var from) || !graph.Boxes.TryGetValue(edge.To, out var to))
            {
                continue;
            }

            var (stroke, marker, dash) = edge.Kind switch
            {
                "catch" => ("#cf222e", "arrow-catch", " stroke-dasharray=\"5,4\""),
                "choice" => ("#0969da", "arrow-choice", string.Empty),
                _ => ("#57606a", "arrow", string.Empty),
            };
            string path;
            double lx, ly;
            if (edge.Kind == "catch")
            {
                // The failure route runs down the left-hand lane, clear of the states in between.
                double x1 = ox + from.X, y1 = oy + from.Y + (from.H / 2), x2 = ox + to.X, y2 = oy + to.Y + (to.H / 2);
                var lane = ox + (SideLane / 2);
                path = $"M{N(x1)},{N(y1)} C{N(lane)},{N(y1)} {N(lane)},{N(y2)} {N(x2)},{N(y2)}";
                (lx, ly) = (x1 - 2, y1 - 6);
            }
            else if (to.Rank > from.Rank)
            {
                double x1 = ox + from.X + (from.W / 2), y1 = oy + from.Y + from.H, x2 = ox + to.X + (to.W / 2), y2 = oy + to.Y;
                var my = (y1 + y2) / 2;
                path = $"M{N(x1)},{N(y1)} C{N(x1)},{N(my)} {N(x2)},{N(my)} {N(x2)},{N(y2)}";
                // Labels sit near the target end, where edges from one Choice have spread apart.
                (lx, ly) = ((0.16 * x1) + (0.84 * x2), (0.016 * y1) + (0.5625 * my) + (0.42 * y2) - 4);
            }
            else
            {
                // A loop or a sideways jump: around the right-hand side.
                double x1 = ox + from.X + from.W, y1 = oy + from.Y + (from.H / 2), x2 = ox + to.X + to.W, y2 = oy + to.Y + (to.H / 2);
                var bend = Math.Max(x1, x2) + 30;
                path = $"M{N(x1)},{N(y1)} C{N(bend)},{N(y1)} {N(bend)},{N(y2)} {N(x2)},{N(y2)}";
                (lx, ly) = (bend - 8, (y1 + y2) / 2);
            }

            svg.Append(CultureInfo.InvariantCulture, $"<path class=\"edge edge-{edge.Kind}\" d=\"{path}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"1.4\"{dash} marker-end=\"url(#{marker})\"/>");
            if (edge.Label is not null)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(lx)}\" y=\"{N(ly)}\" fill=\"{stroke}\" font-size=\"10\" text-anchor=\"{(edge.Kind == "catch" ? "end" : "middle")}\">{Html.E(edge.Label)}</text>");
            }
        }

        foreach (var box in graph.Boxes.Values)
        {
            var status = statuses.TryGetValue(box.Name, out var s) ? s : "notrun";
            var (fill, stroke) = status switch
            {
                "succeeded" => ("#dafbe1", "#1a7f37"),
                "failed" => ("#ffebe9", "#cf222e"),
                "running" => ("#ddf4ff", "#0969da"),
                "caught" => ("#fff8c5", "#9a6700"),
                _ => ("#ffffff", "#afb8c1"),
            };
            double x = ox + box.X, y = oy + box.Y;
            var start = box.Name == graph.Start ? " state-start" : string.Empty;
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"state state-{status}{start}\" data-state=\"{Html.E(box.Name)}\" data-type=\"{Html.E(box.Type)}\"><title>{Html.E(box.Name)} ({Html.E(box.Type)}): {Html.E(status)}</title>");
            if (box.Inner.Count == 0)
            {
                var rx = box.Type is "Choice" ? 14 : box.Type is "Succeed" or "Fail" ? 20 : 6;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(box.W)}\" height=\"{N(box.H)}\" rx=\"{rx}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.6\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x + (box.W / 2))}\" y=\"{N(y + 17)}\" text-anchor=\"middle\" font-weight=\"600\">{Html.E(box.Name)}</text>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x + (box.W / 2))}\" y=\"{N(y + 32)}\" text-anchor=\"middle\" fill=\"#6e7781\" font-size=\"10\">{Html.E(box.Type)}</text>");
            }
            else
            {
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(box.W)}\" height=\"{N(box.H)}\" rx=\"8\" fill=\"{fill}\" fill-opacity=\"0.35\" stroke=\"{stroke}\" stroke-width=\"1.6\" stroke-dasharray=\"6,3\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x + 8)}\" y=\"{N(y + 17)}\" font-weight=\"600\">{Html.E(box.Name)} <tspan fill=\"#6e7781\" font-weight=\"400\" font-size=\"10\">{Html.E(box.Type)}</tspan></text>");
                var innerX = x + 8;
                foreach (var inner in box.Inner)
                {
                    Draw(inner, innerX, y + Header, statuses, svg);
                    innerX += inner.W + ColumnGap;
                }
            }

            svg.Append("</g>");
        }
    }

    private static string ChoiceLabel(JsonObject choice, int index)
    {
        var variable = Text(choice, "Variable");
        var op = choice.Select(p => p.Key).FirstOrDefault(k => k is not "Variable" and not "Next" and not "Comment" and not "Assign");
        return variable is null || op is null ? $"rule {index + 1}" : $"{variable} {op} {choice[op]?.ToJsonString()}";
    }

    private static string Shorten(string text) => text.Length <= 36 ? text : text[..35] + "…";

    private static string? Text(JsonObject obj, string field) => obj[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
