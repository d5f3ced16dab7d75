namespace StockFlow.Jsonata;

/// <summary>
/// Top-down operator precedence parser producing the raw parse tree (which <see cref="AstPrinter"/> prints back),
/// and the compile step that folds it into paths, steps, stages and tuple bindings for the evaluator.
/// </summary>
internal sealed class Parser
{
    private readonly Tokenizer _lexer;
    private Token _node;
    private Token _previous;

    private Parser(string source)
    {
        _lexer = new Tokenizer(source);
        _previous = new Token(TokenKind.Operator, "(", null, 0);
        _node = _lexer.Next(regexAllowed: true);
    }

    public static Node ParseRaw(string source)
    {
        var parser = new Parser(source);
        var expr = parser.Expression(0);
        if (parser._node.Kind != TokenKind.End)
        {
            throw Errors.Create("S0201", parser._node.Position, token: parser._node.Text);
        }

        return expr;
    }

    public static Node Parse(string source)
    {
        var ast = new Compiler().Process(ParseRaw(source));
        if (ast.Type == NodeType.Parent || ast.SeekingParent != null)
        {
            throw Errors.Create("S0217", ast.Position, token: ast.Type.ToString().ToLowerInvariant());
        }

        return ast;
    }

    private bool IsOp(string op) => _node.Kind == TokenKind.Operator && _node.Text == op;

    private Token Advance(string? expected = null)
    {
        if (expected != null)
        {
            var matches = expected switch
            {
                "(end)" => _node.Kind == TokenKind.End,
                _ => _node.Kind == TokenKind.Operator && _node.Text == expected,
            };
            if (!matches)
            {
                if (_node.Kind == TokenKind.End)
                {
                    throw Errors.Create("S0203", _node.Position, value: expected);
                }

                throw Errors.Create("S0202", _node.Position, token: _node.Text, value: expected);
            }
        }

        var current = _node;
        _previous = current;
        // a '/' starts a regex only where an operand is expected; '*', '**' and '%' are operands (wildcard, descendants,
        // parent) as often as operators, and dividing by a regex is meaningless, so after them '/' divides
        var regexAllowed = current.Kind == TokenKind.Operator && current.Text is not (")" or "]" or "}" or "*" or "**" or "%");
        _node = _lexer.Next(regexAllowed);
        return current;
    }

    private static int LeftBindingPower(Token t)
    {
        if (t.Kind != TokenKind.Operator)
        {
            return 0;
        }

        return t.Text switch
        {
            "." => 75,
            "[" or "(" or "@" or "#" => 80,
            "{" => 70,
            "?" => 20,
            "+" or "-" or "&" => 50,
            "*" or "/" or "%" => 60,
            "=" or "<" or ">" or "^" or "!=" or "<=" or ">=" or "~>" or "?:" or "??" or "in" => 40,
            "and" => 30,
            "or" => 25,
            ":=" => 10,
            _ => 0,
        };
    }

    private Node Expression(int rbp)
    {
        var t = _node;
        Advance();
        var left = Nud(t);
        while (rbp < LeftBindingPower(_node))
        {
            t = _node;
            Advance();
            left = Led(t, left);
        }

        return left;
    }

    private Node Nud(Token t)
    {
        switch (t.Kind)
        {
            case TokenKind.End:
                return new Node(NodeType.End, t.Position) { Text = "(end)" };
            case TokenKind.Name:
                return new Node(NodeType.Name, t.Position) { Text = t.Text };
            case TokenKind.Variable:
                return new Node(NodeType.Variable, t.Position) { Text = t.Text };
            case TokenKind.String:
                return new Node(NodeType.String, t.Position) { Literal = t.Literal };
            case TokenKind.Number:
                return new Node(NodeType.Number, t.Position) { Literal = t.Literal };
            case TokenKind.Value:
                return new Node(NodeType.Value, t.Position) { Literal = t.Literal, Text = t.Text };
            case TokenKind.Regex:
                return new Node(NodeType.Regex, t.Position) { Literal = t.Literal };
        }

        switch (t.Text)
        {
            case "-":
                return new Node(NodeType.Negate, t.Position) { Expression = Expression(70) };
            case "*":
                return new Node(NodeType.Wildcard, t.Position) { Text = "*" };
            case "**":
                return new Node(NodeType.Descendant, t.Position) { Text = "**" };
            case "%":
                return new Node(NodeType.Parent, t.Position) { Text = "%" };
            case "and" or "or" or "in":
                return new Node(NodeType.Name, t.Position) { Text = t.Text };
            case "(":
            {
                var expressions = new List<Node>();
                while (!IsOp(")"))
                {
                    expressions.Add(Expression(0));
                    if (!IsOp(";"))
                    {
                        break;
                    }

                    Advance(";");
                }

                Advance(")");
                return new Node(NodeType.Block, t.Position) { Expressions = expressions };
            }

            case "[":
            {
                var items = new List<Node>();
                if (!IsOp("]"))
                {
                    while (true)
                    {
                        var item = Expression(0);
                        if (IsOp(".."))
                        {
                            var range = new Node(NodeType.Binary, _node.Position) { Text = "..", Lhs = item };
                            Advance("..");
                            range.Rhs = Expression(0);
                            item = range;
                        }

                        items.Add(item);
                        if (!IsOp(","))
                        {
                            break;
                        }

                        Advance(",");
                    }
                }

                Advance("]");
                return new Node(NodeType.ArrayConstructor, t.Position) { Expressions = items };
            }

            case "{":
                return new Node(NodeType.ObjectConstructor, t.Position) { Pairs = ParsePairs() };
            case "|":
            {
                var pattern = Expression(0);
                Advance("|");
                var update = Expression(0);
                Node? delete = null;
                if (IsOp(","))
                {
                    Advance(",");
                    delete = Expression(0);
                }

                Advance("|");
                return new Node(NodeType.Transform, t.Position) { Expression = pattern, Update = update, Delete = delete };
            }
        }

        throw Errors.Create("S0211", t.Position, token: t.Text);
    }

    private List<(Node, Node)> ParsePairs()
    {
        var pairs = new List<(Node, Node)>();
        if (!IsOp("}"))
        {
            while (true)
            {
                var key = Expression(0);
                Advance(":");
                var value = Expression(0);
                pairs.Add((key, value));
                if (!IsOp(","))
                {
                    break;
                }

                Advance(",");
            }
        }

        Advance("}");
        return pairs;
    }

    private Node Led(Token t, Node left)
    {
        var op = t.Text;
        switch (op)
        {
            case ".":
                return new Node(NodeType.Dot, t.Position) { Text = ".", Lhs = left, Rhs = Expression(75) };
            case "[":
            {
                if (IsOp("]"))
                {
                    // an empty predicate keeps singleton arrays in the output
                    var step = left;
                    while (step.Type == NodeType.Predicate)
                    {
                        step = step.Lhs!;
                    }

                    step.KeepArray = true;
                    Advance("]");
                    return left;
                }

                var rhs = Expression(0);
                Advance("]");
                return new Node(NodeType.Predicate, t.Position) { Text = "[", Lhs = left, Rhs = rhs };
            }

            case "{":
                return new Node(NodeType.GroupBy, t.Position) { Text = "{", Lhs = left, Pairs = ParsePairs() };
            case "(":
                return ParseCall(t, left);
            case "?":
            {
                var then = Expression(0);
                Node? otherwise = null;
                if (IsOp(":"))
                {
                    Advance(":");
                    otherwise = Expression(0);
                }

                return new Node(NodeType.Condition, t.Position) { Expression = left, Then = then, Else = otherwise };
            }

            case "?:":
                return new Node(NodeType.Elvis, t.Position) { Text = op, Lhs = left, Rhs = Expression(40) };
            case "??":
                return new Node(NodeType.Coalesce, t.Position) { Text = op, Lhs = left, Rhs = Expression(40) };
            case ":=":
                if (left.Type != NodeType.Variable)
                {
                    throw Errors.Create("S0212", t.Position, token: left.Text);
                }

                return new Node(NodeType.Bind, t.Position) { Text = op, Lhs = left, Rhs = Expression(9) };
            case "@" or "#":
            {
                var rhs = Expression(80);
                if (rhs.Type != NodeType.Variable)
                {
                    throw Errors.Create("S0214", rhs.Position, token: op);
                }

                return new Node(op == "@" ? NodeType.FocusBind : NodeType.IndexBind, t.Position) { Text = op, Lhs = left, Rhs = rhs };
            }

            case "^":
            {
                Advance("(");
                var terms = new List<SortTerm>();
                while (true)
                {
                    var descending = false;
                    if (IsOp("<"))
                    {
                        Advance("<");
                    }
                    else if (IsOp(">"))
                    {
                        descending = true;
                        Advance(">");
                    }

                    terms.Add(new SortTerm { Expression = Expression(0), Descending = descending });
                    if (!IsOp(","))
                    {
                        break;
                    }

                    Advance(",");
                }

                Advance(")");
                return new Node(NodeType.OrderBy, t.Position) { Text = "^", Lhs = left, Terms = terms };
            }

            case "~>":
                return new Node(NodeType.Apply, t.Position) { Text = op, Lhs = left, Rhs = Expression(40) };
            default:
                return new Node(NodeType.Binary, t.Position) { Text = op, Lhs = left, Rhs = Expression(LeftBindingPower(t)) };
        }
    }

    private Node ParseCall(Token t, Node left)
    {
        var args = new List<Node>();
        var isPartial = false;
        if (!IsOp(")"))
        {
            while (true)
            {
                if (IsOp("?"))
                {
                    isPartial = true;
                    args.Add(new Node(NodeType.Placeholder, _node.Position) { Text = "?" });
                    Advance("?");
                }
                else
                {
                    args.Add(Expression(0));
                }

                if (!IsOp(","))
                {
                    break;
                }

                Advance(",");
            }
        }

        Advance(")");

        if (left.Type == NodeType.Name && left.Text is "function" or "λ")
        {
            foreach (var arg in args)
            {
                if (arg.Type != NodeType.Variable)
                {
                    throw Errors.Create("S0208", arg.Position, value: arg.Text ?? arg.Literal?.ToString());
                }
            }

            string? signature = null;
            if (IsOp("<"))
            {
                var depth = 1;
                var sig = new System.Text.StringBuilder("<");
                Advance("<");
                while (depth > 0 && !IsOp("{") && _node.Kind != TokenKind.End)
                {
                    var tok = Advance();
                    if (tok.Kind == TokenKind.Operator && tok.Text == ">")
                    {
                        depth--;
                    }
                    else if (tok.Kind == TokenKind.Operator && tok.Text == "<")
                    {
                        depth++;
                    }

                    sig.Append(tok.Kind == TokenKind.Variable ? "$" + tok.Text : tok.Text);
                }

                signature = sig.ToString();

                // as jsonata-js, a malformed signature is reported before the body is looked for (S0401, S0402)
                _ = Signature.Parse(signature, t.Position);
            }

            Advance("{");
            var body = Expression(0);
            Advance("}");
            return new Node(NodeType.Lambda, t.Position)
            {
                Text = left.Text,
                Arguments = args,
                Body = body,
                SignatureText = signature,
            };
        }

        return new Node(isPartial ? NodeType.Partial : NodeType.Function, t.Position)
        {
            Procedure = left,
            Arguments = args,
        };
    }
}
