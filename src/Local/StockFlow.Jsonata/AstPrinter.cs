using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace StockFlow.Jsonata;

/// <summary>
/// Prints a raw parse tree back to expression text. Parentheses appear only where the tree has a block, so a printed
/// tree parses back to the same tree; <see cref="NeedsParentheses"/> says where a generated tree must have one.
/// </summary>
internal static partial class AstPrinter
{
    public static string Print(Node node)
    {
        var sb = new StringBuilder();
        Write(sb, node);
        return sb.ToString();
    }

    /// <summary>Binding power of a node when it is an operand: how tightly it holds together.</summary>
    internal static int Strength(Node node) => node.Type switch
    {
        NodeType.Binary => Power(node.Text!),
        NodeType.Dot => 75,
        NodeType.Predicate or NodeType.Function or NodeType.Partial or NodeType.FocusBind or NodeType.IndexBind => 80,
        NodeType.GroupBy => 70,
        NodeType.OrderBy or NodeType.Apply or NodeType.Elvis or NodeType.Coalesce => 40,
        NodeType.Condition => 20,
        NodeType.Bind => 10,
        NodeType.Negate => 70,
        _ => 100,
    };

    private static int Power(string op) => op switch
    {
        "+" or "-" or "&" => 50,
        "*" or "/" or "%" => 60,
        "=" or "<" or ">" or "!=" or "<=" or ">=" or "in" => 40,
        "and" => 30,
        "or" => 25,
        ".." => 20,
        _ => 0,
    };

    /// <summary>Whether a child must be parenthesised (be a block) to parse back under its parent at this side.</summary>
    internal static bool NeedsParentheses(Node parent, Node child, bool isLeft)
    {
        if (child.Type == NodeType.Negate && parent.Type != NodeType.Negate)
        {
            // '-x' as an operand would swallow what follows it (or be read as a number literal's sign)
            return true;
        }

        if (child.Type == NodeType.Regex && !isLeft && parent.Type is NodeType.Binary or NodeType.Apply or NodeType.Elvis or NodeType.Coalesce)
        {
            // after an operator that is also an operand ('*', '%') a '/' divides, so a regex operand needs parentheses
            return true;
        }

        if (isLeft && parent.Type == NodeType.Binary && EndsWithTransform(child))
        {
            // after a transform's closing '|' a '/' would start a regex (as in jsonata-js), also when the transform
            // is the last operand of the left side, as in 'a.|x|y| / 2'
            return true;
        }

        if (child.Type == NodeType.Number && parent.Type == NodeType.Dot)
        {
            // '1.5' after a number would be read as one number literal
            return true;
        }

        var strength = Strength(child);
        switch (parent.Type)
        {
            case NodeType.Binary or NodeType.Dot or NodeType.Apply or NodeType.Elvis or NodeType.Coalesce:
            {
                var power = Strength(parent);
                return isLeft ? strength < power : strength <= power;
            }

            case NodeType.Predicate or NodeType.GroupBy or NodeType.OrderBy or NodeType.Function or NodeType.Partial or NodeType.FocusBind or NodeType.IndexBind:
                return isLeft && strength < Strength(parent);
            case NodeType.Condition:
                return isLeft ? strength <= 20 : child.Type == NodeType.Condition;
            case NodeType.Bind:
                return !isLeft && strength < 10;
            case NodeType.Negate:
                return strength <= 70;
            default:
                return false;
        }
    }

    /// <summary>Whether the printed text of a node ends with a transform's closing '|'.</summary>
    private static bool EndsWithTransform(Node node) => !node.KeepArray && node.Type switch
    {
        NodeType.Transform => true,
        NodeType.Binary or NodeType.Dot or NodeType.Apply or NodeType.Elvis or NodeType.Coalesce or NodeType.Bind
            or NodeType.FocusBind or NodeType.IndexBind => EndsWithTransform(node.Rhs!),
        NodeType.Negate => EndsWithTransform(node.Expression!),
        NodeType.Condition => EndsWithTransform(node.Else ?? node.Then!),
        _ => false,
    };

    private static void Write(StringBuilder sb, Node node)
    {
        switch (node.Type)
        {
            case NodeType.Name:
                sb.Append(PlainName().IsMatch(node.Text!) && node.Text is not ("and" or "or" or "in" or "true" or "false" or "null" or "function" or "λ")
                    ? node.Text
                    : "`" + node.Text + "`");
                break;
            case NodeType.Variable:
                sb.Append('$').Append(node.Text);
                break;
            case NodeType.String:
                JsonText.WriteString(sb, (string)node.Literal!);
                break;
            case NodeType.Number:
                sb.Append(JsonText.FormatNumber((double)node.Literal!));
                break;
            case NodeType.Value:
                sb.Append(node.Text);
                break;
            case NodeType.Regex:
            {
                var r = (RegexLiteral)node.Literal!;
                sb.Append('/').Append(r.Pattern).Append('/').Append(r.Flags);
                break;
            }

            case NodeType.Wildcard:
                sb.Append('*');
                break;
            case NodeType.Descendant:
                sb.Append("**");
                break;
            case NodeType.Parent:
                sb.Append('%');
                break;
            case NodeType.Negate:
                sb.Append('-');
                Write(sb, node.Expression!);
                break;
            case NodeType.ArrayConstructor:
                sb.Append('[');
                Join(sb, node.Expressions!, ", ");
                sb.Append(']');
                break;
            case NodeType.ObjectConstructor:
                sb.Append('{');
                WritePairs(sb, node.Pairs!);
                sb.Append('}');
                break;
            case NodeType.Binary:
                Write(sb, node.Lhs!);
                sb.Append(node.Text == ".." ? ".." : " " + node.Text + " ");
                Write(sb, node.Rhs!);
                break;
            case NodeType.Dot:
                Write(sb, node.Lhs!);
                sb.Append('.');
                Write(sb, node.Rhs!);
                break;
            case NodeType.Apply or NodeType.Elvis or NodeType.Coalesce or NodeType.Bind:
                Write(sb, node.Lhs!);
                sb.Append(' ').Append(node.Text).Append(' ');
                Write(sb, node.Rhs!);
                break;
            case NodeType.Condition:
                Write(sb, node.Expression!);
                sb.Append(" ? ");
                Write(sb, node.Then!);
                if (node.Else != null)
                {
                    sb.Append(" : ");
                    Write(sb, node.Else);
                }

                break;
            case NodeType.Block:
                sb.Append('(');
                Join(sb, node.Expressions!, "; ");
                sb.Append(')');
                break;
            case NodeType.Function or NodeType.Partial:
                Write(sb, node.Procedure!);
                sb.Append('(');
                Join(sb, node.Arguments!, ", ");
                sb.Append(')');
                break;
            case NodeType.Placeholder:
                sb.Append('?');
                break;
            case NodeType.Lambda:
                sb.Append(node.Text ?? "function").Append('(');
                Join(sb, node.Arguments!, ", ");
                sb.Append(')');
                if (node.SignatureText != null)
                {
                    sb.Append(node.SignatureText);
                }

                sb.Append('{');
                Write(sb, node.Body!);
                sb.Append('}');
                break;
            case NodeType.Predicate:
                Write(sb, node.Lhs!);
                sb.Append('[');
                Write(sb, node.Rhs!);
                sb.Append(']');
                break;
            case NodeType.GroupBy:
                Write(sb, node.Lhs!);
                sb.Append('{');
                WritePairs(sb, node.Pairs!);
                sb.Append('}');
                break;
            case NodeType.OrderBy:
                Write(sb, node.Lhs!);
                sb.Append("^(");
                for (var i = 0; i < node.Terms!.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    sb.Append(node.Terms[i].Descending ? ">" : "<");
                    Write(sb, node.Terms[i].Expression);
                }

                sb.Append(')');
                break;
            case NodeType.FocusBind or NodeType.IndexBind:
                Write(sb, node.Lhs!);
                sb.Append(node.Text);
                Write(sb, node.Rhs!);
                break;
            case NodeType.Transform:
                sb.Append("| ");
                Write(sb, node.Expression!);
                sb.Append(" | ");
                Write(sb, node.Update!);
                if (node.Delete != null)
                {
                    sb.Append(", ");
                    Write(sb, node.Delete);
                }

                sb.Append(" |");
                break;
            default:
                throw new InvalidOperationException("Cannot print a " + node.Type + " node");
        }

        if (node.KeepArray)
        {
            sb.Append("[]");
        }
    }

    private static void Join(StringBuilder sb, List<Node> nodes, string separator)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(separator);
            }

            Write(sb, nodes[i]);
        }
    }

    private static void WritePairs(StringBuilder sb, List<(Node Key, Node Value)> pairs)
    {
        for (var i = 0; i < pairs.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            Write(sb, pairs[i].Key);
            sb.Append(": ");
            Write(sb, pairs[i].Value);
        }
    }

    /// <summary>A structural description of a tree (type, text, literal, flags, children) for comparing trees.</summary>
    public static string Describe(Node node)
    {
        var sb = new StringBuilder();
        Describe(sb, node);
        return sb.ToString();
    }

    private static void Describe(StringBuilder sb, Node? node)
    {
        if (node == null)
        {
            sb.Append('_');
            return;
        }

        sb.Append('(').Append(node.Type);
        if (node.Text != null)
        {
            sb.Append(" t=").Append(node.Text);
        }

        if (node.Literal != null)
        {
            sb.Append(" v=").Append(node.Literal switch
            {
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                RegexLiteral r => "/" + r.Pattern + "/" + r.Flags,
                _ => node.Literal.ToString(),
            });
        }

        if (node.KeepArray)
        {
            sb.Append(" keep");
        }

        if (node.SignatureText != null)
        {
            sb.Append(" sig=").Append(node.SignatureText);
        }

        foreach (var child in new[] { node.Lhs, node.Rhs, node.Expression, node.Then, node.Else, node.Update, node.Delete, node.Procedure, node.Body })
        {
            if (child != null)
            {
                sb.Append(' ');
                Describe(sb, child);
            }
        }

        foreach (var list in new[] { node.Expressions, node.Arguments })
        {
            if (list != null)
            {
                sb.Append(" [");
                list.ForEach(n => Describe(sb, n));
                sb.Append(']');
            }
        }

        if (node.Pairs != null)
        {
            sb.Append(" {");
            foreach (var (k, v) in node.Pairs)
            {
                Describe(sb, k);
                sb.Append(':');
                Describe(sb, v);
            }

            sb.Append('}');
        }

        if (node.Terms != null)
        {
            sb.Append(" ^");
            foreach (var t in node.Terms)
            {
                sb.Append(t.Descending ? '>' : '<');
                Describe(sb, t.Expression);
            }
        }

        sb.Append(')');
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainName();
}
