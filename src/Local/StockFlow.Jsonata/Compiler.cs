namespace StockFlow.Jsonata;

/// <summary>
/// Folds the raw parse tree into the evaluator's tree: dotted steps become one path, predicates become stages,
/// focus/index bindings mark tuple steps, parent references are resolved to ancestor slots, and tail calls in
/// lambda bodies become thunks (evaluated by the trampoline in the evaluator).
/// </summary>
internal sealed class Compiler
{
    private readonly List<Node> _ancestry = [];
    private int _ancestorLabel;
    private int _ancestorIndex;

    public Node Process(Node expr)
    {
        Node result;
        switch (expr.Type)
        {
            case NodeType.Dot:
            {
                var lstep = Process(expr.Lhs!);
                result = lstep.Type == NodeType.Path ? lstep : new Node(NodeType.Path, lstep.Position) { Steps = [lstep] };
                if (lstep.Type == NodeType.Parent)
                {
                    result.SeekingParent = [lstep.Slot!];
                }

                var rest = Process(expr.Rhs!);
                var steps = result.Steps!;
                if (rest.Type == NodeType.Path)
                {
                    steps.AddRange(rest.Steps!);
                }
                else
                {
                    if (rest.Predicates != null)
                    {
                        rest.Stages = rest.Predicates;
                        rest.Predicates = null;
                    }

                    steps.Add(rest);
                }

                foreach (var step in steps)
                {
                    if (step.Type is NodeType.Number or NodeType.Value)
                    {
                        throw Errors.Create("S0213", step.Position, value: step.Literal);
                    }

                    if (step.Type == NodeType.String)
                    {
                        step.Type = NodeType.Name;
                        step.Text = (string)step.Literal!;
                    }
                }

                if (steps.Exists(s => s.KeepArray))
                {
                    result.KeepSingletonArray = true;
                }

                if (steps[0].Type == NodeType.ArrayConstructor)
                {
                    steps[0].ConsArray = true;
                }

                if (steps[^1].Type == NodeType.ArrayConstructor)
                {
                    steps[^1].ConsArray = true;
                }

                ResolveAncestry(result);
                break;
            }

            case NodeType.Predicate:
            {
                result = Process(expr.Lhs!);
                var step = result;
                var useStages = false;
                if (result.Type == NodeType.Path)
                {
                    step = result.Steps![^1];
                    useStages = true;
                }

                if (step.Group != null)
                {
                    throw Errors.Create("S0209", expr.Position);
                }

                var predicate = Process(expr.Rhs!);
                if (predicate.SeekingParent != null)
                {
                    foreach (var slot in predicate.SeekingParent)
                    {
                        if (slot.Level == 1)
                        {
                            SeekParent(step, slot);
                        }
                        else
                        {
                            slot.Level--;
                        }
                    }

                    PushAncestry(step, predicate);
                }

                var filter = new Node(NodeType.Filter, expr.Position) { Expression = predicate };
                if (useStages)
                {
                    (step.Stages ??= []).Add(filter);
                }
                else
                {
                    (step.Predicates ??= []).Add(filter);
                }

                break;
            }

            case NodeType.GroupBy:
                result = Process(expr.Lhs!);
                if (result.Group != null)
                {
                    throw Errors.Create("S0210", expr.Position);
                }

                result.Group = new GroupSpec
                {
                    Pairs = expr.Pairs!.ConvertAll(p => (Process(p.Key), Process(p.Value))),
                    Position = expr.Position,
                };
                break;
            case NodeType.OrderBy:
            {
                result = Process(expr.Lhs!);
                if (result.Type != NodeType.Path)
                {
                    result = new Node(NodeType.Path, result.Position) { Steps = [result] };
                }

                var sortStep = new Node(NodeType.Sort, expr.Position) { Terms = [] };
                foreach (var term in expr.Terms!)
                {
                    var expression = Process(term.Expression);
                    PushAncestry(sortStep, expression);
                    sortStep.Terms.Add(new SortTerm { Expression = expression, Descending = term.Descending });
                }

                result.Steps!.Add(sortStep);
                ResolveAncestry(result);
                break;
            }

            case NodeType.Bind:
                result = new Node(NodeType.Bind, expr.Position) { Text = expr.Text, Lhs = Process(expr.Lhs!), Rhs = Process(expr.Rhs!) };
                break;
            case NodeType.FocusBind:
            {
                result = Process(expr.Lhs!);
                var step = result;
                if (result.Type == NodeType.Path)
                {
                    step = result.Steps![^1];
                }

                if (step.Stages != null || step.Predicates != null)
                {
                    throw Errors.Create("S0215", expr.Position);
                }

                if (step.Type == NodeType.Sort)
                {
                    throw Errors.Create("S0216", expr.Position);
                }

                if (expr.KeepArray)
                {
                    step.KeepArray = true;
                }

                step.Focus = expr.Rhs!.Text;
                step.Tuple = true;
                break;
            }

            case NodeType.IndexBind:
            {
                result = Process(expr.Lhs!);
                var step = result;
                if (result.Type == NodeType.Path)
                {
                    step = result.Steps![^1];
                }
                else
                {
                    result = new Node(NodeType.Path, result.Position) { Steps = [result] };
                    if (step.Predicates != null)
                    {
                        step.Stages = step.Predicates;
                        step.Predicates = null;
                    }
                }

                if (step.Stages == null)
                {
                    step.Index = expr.Rhs!.Text;
                }
                else
                {
                    step.Stages.Add(new Node(NodeType.IndexStage, expr.Position) { Text = expr.Rhs!.Text });
                }

                step.Tuple = true;
                break;
            }

            case NodeType.Apply:
                result = new Node(NodeType.Apply, expr.Position) { Text = expr.Text, Lhs = Process(expr.Lhs!), Rhs = Process(expr.Rhs!) };
                result.KeepArray = result.Lhs.KeepArray || result.Rhs.KeepArray;
                break;
            case NodeType.Binary or NodeType.Coalesce or NodeType.Elvis:
                result = new Node(expr.Type, expr.Position) { Text = expr.Text, Lhs = Process(expr.Lhs!), Rhs = Process(expr.Rhs!) };
                PushAncestry(result, result.Lhs);
                PushAncestry(result, result.Rhs);
                break;
            case NodeType.ArrayConstructor:
                result = new Node(NodeType.ArrayConstructor, expr.Position) { Expressions = [] };
                foreach (var item in expr.Expressions!)
                {
                    var value = Process(item);
                    PushAncestry(result, value);
                    result.Expressions.Add(value);
                }

                break;
            case NodeType.ObjectConstructor:
                result = new Node(NodeType.ObjectConstructor, expr.Position) { Pairs = [] };
                foreach (var (k, v) in expr.Pairs!)
                {
                    var key = Process(k);
                    PushAncestry(result, key);
                    var value = Process(v);
                    PushAncestry(result, value);
                    result.Pairs.Add((key, value));
                }

                break;
            case NodeType.Negate:
            {
                var operand = Process(expr.Expression!);
                if (operand.Type == NodeType.Number)
                {
                    result = operand;
                    result.Literal = -(double)operand.Literal!;
                }
                else
                {
                    result = new Node(NodeType.Negate, expr.Position) { Text = "-", Expression = operand };
                    PushAncestry(result, operand);
                }

                break;
            }

            case NodeType.Function or NodeType.Partial:
                result = new Node(expr.Type, expr.Position) { Arguments = [], Procedure = Process(expr.Procedure!) };
                foreach (var arg in expr.Arguments!)
                {
                    var argAst = arg.Type == NodeType.Placeholder ? arg : Process(arg);
                    PushAncestry(result, argAst);
                    result.Arguments.Add(argAst);
                }

                break;
            case NodeType.Lambda:
                result = new Node(NodeType.Lambda, expr.Position)
                {
                    Arguments = expr.Arguments,
                    SignatureText = expr.SignatureText,
                    Signature = expr.SignatureText == null ? null : Signature.Parse(expr.SignatureText, expr.Position),
                    Body = TailCallOptimize(Process(expr.Body!)),
                };
                break;
            case NodeType.Condition:
                result = new Node(NodeType.Condition, expr.Position) { Expression = Process(expr.Expression!), Then = Process(expr.Then!) };
                PushAncestry(result, result.Expression);
                PushAncestry(result, result.Then);
                if (expr.Else != null)
                {
                    result.Else = Process(expr.Else);
                    PushAncestry(result, result.Else);
                }

                break;
            case NodeType.Transform:
                result = new Node(NodeType.Transform, expr.Position)
                {
                    Expression = Process(expr.Expression!),
                    Update = Process(expr.Update!),
                    Delete = expr.Delete == null ? null : Process(expr.Delete),
                };
                break;
            case NodeType.Block:
                result = new Node(NodeType.Block, expr.Position) { Expressions = [] };
                foreach (var item in expr.Expressions!)
                {
                    var part = Process(item);
                    PushAncestry(result, part);
                    if (part.ConsArray || (part.Type == NodeType.Path && part.Steps![0].ConsArray))
                    {
                        result.ConsArray = true;
                    }

                    result.Expressions.Add(part);
                }

                break;
            case NodeType.Name:
                result = new Node(NodeType.Path, expr.Position) { Steps = [expr] };
                if (expr.KeepArray)
                {
                    result.KeepSingletonArray = true;
                }

                break;
            case NodeType.Parent:
                result = new Node(NodeType.Parent, expr.Position)
                {
                    Slot = new AncestorSlot { Label = "!" + _ancestorLabel++, Level = 1, Index = _ancestorIndex++ },
                };
                _ancestry.Add(result);
                break;
            case NodeType.Regex:
            {
                var literal = (RegexLiteral)expr.Literal!;
                result = expr;
                result.CompiledRegex = RegexTranslator.Compile(literal.Pattern, literal.Flags, expr.Position);
                break;
            }

            case NodeType.String or NodeType.Number or NodeType.Value or NodeType.Wildcard or NodeType.Descendant or NodeType.Variable:
                result = expr;
                break;
            case NodeType.End:
                throw Errors.Create("S0207", expr.Position);
            default:
                throw Errors.Create("S0206", expr.Position, token: expr.Text);
        }

        if (expr.KeepArray)
        {
            result.KeepArray = true;
        }

        return result;
    }

    private static Node TailCallOptimize(Node expr)
    {
        switch (expr.Type)
        {
            case NodeType.Function when expr.Predicates == null:
                return new Node(NodeType.Lambda, expr.Position) { Thunk = true, Arguments = [], Body = expr };
            case NodeType.Condition:
                expr.Then = TailCallOptimize(expr.Then!);
                if (expr.Else != null)
                {
                    expr.Else = TailCallOptimize(expr.Else);
                }

                return expr;
            case NodeType.Block when expr.Expressions!.Count > 0:
                expr.Expressions[^1] = TailCallOptimize(expr.Expressions[^1]);
                return expr;
            default:
                return expr;
        }
    }

    private static void PushAncestry(Node result, Node value)
    {
        if (value.SeekingParent != null || value.Type == NodeType.Parent)
        {
            var slots = value.SeekingParent ?? [];
            if (value.Type == NodeType.Parent)
            {
                slots.Add(value.Slot!);
            }

            if (result.SeekingParent == null)
            {
                result.SeekingParent = slots;
            }
            else
            {
                result.SeekingParent.AddRange(slots);
            }
        }
    }

    private void ResolveAncestry(Node path)
    {
        var steps = path.Steps!;
        var lastStep = steps[^1];
        var slots = lastStep.SeekingParent ?? [];
        if (lastStep.Type == NodeType.Parent)
        {
            slots.Add(lastStep.Slot!);
        }

        foreach (var s in slots)
        {
            var slot = s;
            var index = steps.Count - 2;
            while (slot.Level > 0)
            {
                if (index < 0)
                {
                    (path.SeekingParent ??= []).Add(slot);
                    break;
                }

                var step = steps[index--];
                while (index >= 0 && step.Focus != null && steps[index].Focus != null)
                {
                    step = steps[index--];
                }

                slot = SeekParent(step, slot);
            }
        }
    }

    private AncestorSlot SeekParent(Node node, AncestorSlot slot)
    {
        switch (node.Type)
        {
            case NodeType.Name or NodeType.Wildcard:
                slot.Level--;
                if (slot.Level == 0)
                {
                    if (node.Ancestor == null)
                    {
                        node.Ancestor = slot;
                    }
                    else
                    {
                        _ancestry[slot.Index].Slot!.Label = node.Ancestor.Label;
                        node.Ancestor = slot;
                    }

                    node.Tuple = true;
                }

                break;
            case NodeType.Parent:
                slot.Level++;
                break;
            case NodeType.Block:
                if (node.Expressions!.Count > 0)
                {
                    node.Tuple = true;
                    slot = SeekParent(node.Expressions[^1], slot);
                }

                break;
            case NodeType.Path:
            {
                node.Tuple = true;
                var index = node.Steps!.Count - 1;
                slot = SeekParent(node.Steps[index--], slot);
                while (slot.Level > 0 && index >= 0)
                {
                    slot = SeekParent(node.Steps[index--], slot);
                }

                break;
            }

            default:
                throw Errors.Create("S0217", node.Position, token: node.Type.ToString().ToLowerInvariant());
        }

        return slot;
    }
}
