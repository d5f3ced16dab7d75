using System.Runtime.CompilerServices;

namespace StockFlow.Jsonata;

/// <summary>Evaluates a compiled expression tree with the semantics of jsonata-js 2.x (sequences, tuple streams, thunks).</summary>
internal static class Evaluator
{
    public static unsafe object? Evaluate(Node expr, object? input, Frame env)
    {
        var state = env.State!;
        byte marker = 0;
        var here = (nuint)(&marker);
        if (state.StackBase == 0)
        {
            state.StackBase = here;
        }

        if (++state.Depth > state.MaxDepth || (long)(state.StackBase - here) > state.StackBudget || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            state.Depth--;
            throw Errors.Create("U1001", expr.Position);
        }

        if ((++state.Steps & 0x3FF) == 0 && Environment.TickCount64 > state.DeadlineTicks)
        {
            state.Depth--;
            throw Errors.Create("U1002", expr.Position);
        }

        try
        {
            var result = EvaluateCore(expr, input, env);
            return expr.Predicates == null && expr.Group == null && result is not JArray ? result : PostProcess(expr, result, env);
        }
        finally
        {
            state.Depth--;
        }
    }

    private static object? PostProcess(Node expr, object? result, Frame env)
    {
        {
            if (expr.Predicates != null)
            {
                foreach (var predicate in expr.Predicates)
                {
                    result = EvaluateFilter(predicate.Expression!, result, env);
                }
            }

            if (expr.Type != NodeType.Path && expr.Group != null)
            {
                result = EvaluateGroup(expr.Group.Pairs, expr.Group.Position, result, env);
            }

            if (result is JArray { Sequence: true, TupleStream: false } seq)
            {
                if (expr.KeepArray)
                {
                    seq.KeepSingleton = true;
                }

                if (seq.Count == 0)
                {
                    result = null;
                }
                else if (seq.Count == 1)
                {
                    result = seq.KeepSingleton ? seq : seq[0];
                }
            }

            return result;
        }
    }

    private static object? EvaluateCore(Node expr, object? input, Frame env) => expr.Type switch
    {
        NodeType.Path => EvaluatePath(expr, input, env),
        NodeType.Binary => EvaluateBinary(expr, input, env),
        NodeType.Negate => EvaluateNegate(expr, input, env),
        NodeType.ArrayConstructor => EvaluateArray(expr, input, env),
        NodeType.ObjectConstructor => EvaluateGroup(expr.Pairs!, expr.Position, input, env),
        NodeType.Name => Lookup(input, expr.Text!),
        NodeType.String or NodeType.Number or NodeType.Value => expr.Literal,
        NodeType.Wildcard => EvaluateWildcard(input),
        NodeType.Descendant => EvaluateDescendants(input),
        NodeType.Parent => env.Lookup(expr.Slot!.Label),
        NodeType.Condition => EvaluateCondition(expr, input, env),
        NodeType.Elvis => EvaluateElvis(expr, input, env),
        NodeType.Coalesce => Evaluate(expr.Lhs!, input, env) ?? Evaluate(expr.Rhs!, input, env),
        NodeType.Block => EvaluateBlock(expr, input, env),
        NodeType.Bind => EvaluateBind(expr, input, env),
        NodeType.Regex => new RegexFunction(expr.CompiledRegex!, ((RegexLiteral)expr.Literal!).Pattern),
        NodeType.Function => EvaluateFunction(expr, input, env, hasContext: false, null),
        NodeType.Variable => EvaluateVariable(expr, input, env),
        NodeType.Lambda => CreateLambda(expr, input, env),
        NodeType.Partial => EvaluatePartial(expr, input, env),
        NodeType.Apply => EvaluateApply(expr, input, env),
        NodeType.Transform => CreateTransform(expr, env),
        _ => throw Errors.Create("S0206", expr.Position, token: expr.Type.ToString()),
    };

    private static object? EvaluateNegate(Node expr, object? input, Frame env)
    {
        var v = Evaluate(expr.Expression!, input, env);
        if (v == null)
        {
            return null;
        }

        if (v is double d && IsNumeric(d))
        {
            return -d;
        }

        throw Errors.Create("D1002", expr.Position, token: "-", value: v);
    }

    private static JArray EvaluateArray(Node expr, object? input, Frame env)
    {
        var result = new JArray();
        foreach (var item in expr.Expressions!)
        {
            var value = Evaluate(item, input, env);
            if (value != null)
            {
                if (item.Type == NodeType.ArrayConstructor)
                {
                    result.Add(value);
                }
                else if (value is JArray arr)
                {
                    result.AddRange(arr);
                }
                else
                {
                    result.Add(value);
                }
            }
        }

        if (expr.ConsArray)
        {
            result.Cons = true;
        }

        return result;
    }

    private static object? EvaluateCondition(Node expr, object? input, Frame env)
    {
        var condition = Evaluate(expr.Expression!, input, env);
        if (Builtins.ToBoolean(condition) == true)
        {
            return Evaluate(expr.Then!, input, env);
        }

        return expr.Else != null ? Evaluate(expr.Else, input, env) : null;
    }

    private static object? EvaluateElvis(Node expr, object? input, Frame env)
    {
        var lhs = Evaluate(expr.Lhs!, input, env);
        return Builtins.ToBoolean(lhs) == true ? lhs : Evaluate(expr.Rhs!, input, env);
    }

    private static object? EvaluateBlock(Node expr, object? input, Frame env)
    {
        var frame = new Frame(env, null);
        object? result = null;
        foreach (var e in expr.Expressions!)
        {
            result = Evaluate(e, input, frame);
        }

        return result;
    }

    private static object? EvaluateBind(Node expr, object? input, Frame env)
    {
        var value = Evaluate(expr.Rhs!, input, env);
        env.Bind(expr.Lhs!.Text!, value);
        return value;
    }

    private static object? EvaluateVariable(Node expr, object? input, Frame env)
    {
        if (expr.Text!.Length == 0)
        {
            return input is JArray { OuterWrapper: true } wrapped ? wrapped[0] : input;
        }

        return env.Lookup(expr.Text);
    }

    private static Lambda CreateLambda(Node expr, object? input, Frame env) => new(expr.Signature)
    {
        Body = expr.Body!,
        Parameters = expr.Arguments!.ConvertAll(a => a.Text!),
        Input = input,
        Environment = env,
        Thunk = expr.Thunk,
    };

    private static NativeFunction CreateTransform(Node expr, Frame env)
        => new("transform", TransformSignature, 1, (ctx, args) => Transform(expr, args[0], env));

    private static readonly Signature TransformSignature = Signature.Parse("<(oa):o>", 0);

    /// <summary>
    /// Fills in where an error raised by a function or operator happened. Runs as an exception filter (and returns
    /// false) so that deep recursion is not unwound and re-thrown level by level, which would exhaust the stack.
    /// </summary>
    private static bool Locate(JsonataException e, int position, string? token)
    {
        if (e.Position < 0)
        {
            e.Position = position;
        }

        e.Token ??= token;
        return false;
    }

    internal static bool IsNumeric(double d)
    {
        if (double.IsNaN(d))
        {
            return false;
        }

        if (double.IsInfinity(d))
        {
            throw Errors.Create("D1001", value: d);
        }

        return true;
    }

    private static object? EvaluatePath(Node expr, object? input, Frame env)
    {
        JArray inputSequence;
        var steps = expr.Steps!;
        if (input is JArray arr && steps[0].Type != NodeType.Variable)
        {
            inputSequence = arr;
        }
        else
        {
            inputSequence = JArray.NewSequence(input);
        }

        object? resultSequence = null;
        var isTupleStream = false;
        JArray? tupleBindings = null;
        for (var ii = 0; ii < steps.Count; ii++)
        {
            var step = steps[ii];
            if (step.Tuple)
            {
                isTupleStream = true;
            }

            if (ii == 0 && step.ConsArray)
            {
                resultSequence = Evaluate(step, inputSequence, env);
            }
            else if (isTupleStream)
            {
                tupleBindings = EvaluateTupleStep(step, inputSequence, tupleBindings, env);
            }
            else
            {
                resultSequence = EvaluateStep(step, inputSequence, env, ii == steps.Count - 1);
            }

            if (!isTupleStream && (resultSequence == null || resultSequence is JArray { Count: 0 }))
            {
                break;
            }

            if (step.Focus == null)
            {
                // a non-array here (a grouped or filtered constructor) has no items to step into, as in jsonata-js
                inputSequence = resultSequence as JArray ?? [];
            }
        }

        if (isTupleStream)
        {
            if (expr.Tuple)
            {
                resultSequence = tupleBindings;
            }
            else
            {
                var seq = JArray.NewSequence();
                foreach (var t in tupleBindings!.Cast<Tuple>())
                {
                    seq.Add(t["@"]);
                }

                resultSequence = seq;
            }
        }

        if (expr.KeepSingletonArray)
        {
            if (resultSequence is JArray { Cons: true, Sequence: false } cons)
            {
                resultSequence = JArray.NewSequence(cons);
            }

            if (resultSequence is JArray ks)
            {
                ks.KeepSingleton = true;
            }
        }

        if (expr.Group != null)
        {
            resultSequence = EvaluateGroup(expr.Group.Pairs, expr.Group.Position, isTupleStream ? tupleBindings : resultSequence, env);
        }

        return resultSequence;
    }

    private static JArray EvaluateStep(Node expr, JArray input, Frame env, bool lastStep)
    {
        if (expr.Type == NodeType.Sort)
        {
            var sorted = EvaluateSort(expr, input, env);
            if (expr.Stages != null)
            {
                sorted = EvaluateStages(expr.Stages, sorted, env);
            }

            return sorted;
        }

        var result = JArray.NewSequence();
        foreach (var item in input)
        {
            var res = Evaluate(expr, item, env);
            if (expr.Stages != null)
            {
                foreach (var stage in expr.Stages)
                {
                    res = EvaluateFilter(stage.Expression!, res, env);
                }
            }

            if (res != null)
            {
                result.Add(res);
            }
        }

        if (lastStep && result.Count == 1 && result[0] is JArray { Sequence: false } only)
        {
            return only;
        }

        var resultSequence = JArray.NewSequence();
        foreach (var res in result)
        {
            if (res is JArray { Cons: false } inner)
            {
                resultSequence.AddRange(inner);
            }
            else
            {
                resultSequence.Add(res);
            }
        }

        return resultSequence;
    }

    private static JArray EvaluateStages(List<Node> stages, JArray input, Frame env)
    {
        var result = input;
        foreach (var stage in stages)
        {
            if (stage.Type == NodeType.Filter)
            {
                result = EvaluateFilter(stage.Expression!, result, env) as JArray ?? JArray.NewSequence();
            }
            else
            {
                for (var ee = 0; ee < result.Count; ee++)
                {
                    ((Tuple)result[ee]!)[stage.Text!] = (double)ee;
                }
            }
        }

        return result;
    }

    private static JArray EvaluateTupleStep(Node expr, JArray input, JArray? tupleBindings, Frame env)
    {
        JArray result;
        if (expr.Type == NodeType.Sort)
        {
            if (tupleBindings != null)
            {
                result = EvaluateSort(expr, tupleBindings, env);
            }
            else
            {
                var sorted = EvaluateSort(expr, input, env);
                result = JArray.NewSequence();
                result.TupleStream = true;
                for (var ss = 0; ss < sorted.Count; ss++)
                {
                    var tuple = new Tuple { ["@"] = sorted[ss] };
                    if (expr.Index != null)
                    {
                        tuple[expr.Index] = (double)ss;
                    }

                    result.Add(tuple);
                }
            }

            if (expr.Stages != null)
            {
                result = EvaluateStages(expr.Stages, result, env);
            }

            return result;
        }

        result = JArray.NewSequence();
        result.TupleStream = true;
        if (tupleBindings == null)
        {
            tupleBindings = new JArray(input.Count);
            foreach (var item in input)
            {
                tupleBindings.Add(new Tuple { ["@"] = item });
            }
        }

        foreach (var binding in tupleBindings.Cast<Tuple>())
        {
            var stepEnv = FrameFromTuple(env, binding);
            var res = Evaluate(expr, binding["@"], stepEnv);
            if (res != null)
            {
                var resArr = res as JArray ?? new JArray { res };
                for (var bb = 0; bb < resArr.Count; bb++)
                {
                    var tuple = new Tuple(binding);
                    if (resArr.TupleStream)
                    {
                        foreach (var (k, v) in (Tuple)resArr[bb]!)
                        {
                            tuple[k] = v;
                        }
                    }
                    else
                    {
                        if (expr.Focus != null)
                        {
                            tuple[expr.Focus] = resArr[bb];
                            tuple["@"] = binding["@"];
                        }
                        else
                        {
                            tuple["@"] = resArr[bb];
                        }

                        if (expr.Index != null)
                        {
                            tuple[expr.Index] = (double)bb;
                        }

                        if (expr.Ancestor != null)
                        {
                            tuple[expr.Ancestor.Label] = binding["@"];
                        }
                    }

                    result.Add(tuple);
                }
            }
        }

        if (expr.Stages != null)
        {
            result = EvaluateStages(expr.Stages, result, env);
        }

        return result;
    }

    private static Frame FrameFromTuple(Frame env, Tuple tuple)
    {
        var frame = new Frame(env, null);
        foreach (var (k, v) in tuple)
        {
            frame.Bind(k, v);
        }

        return frame;
    }

    private static object? EvaluateFilter(Node predicate, object? input, Frame env)
    {
        var results = JArray.NewSequence();
        if (input is JArray { TupleStream: true })
        {
            results.TupleStream = true;
        }

        var inputArr = input as JArray ?? JArray.NewSequence(input);
        if (predicate.Type == NodeType.Number)
        {
            var index = (int)Math.Floor((double)predicate.Literal!);
            if (index < 0)
            {
                index = inputArr.Count + index;
            }

            if (index >= 0 && index < inputArr.Count)
            {
                var item = inputArr[index];
                if (item is JArray itemArr)
                {
                    return itemArr;
                }

                if (item != null)
                {
                    results.Add(item);
                }
            }

            return results;
        }

        for (var index = 0; index < inputArr.Count; index++)
        {
            var item = inputArr[index];
            var context = item;
            var frame = env;
            if (inputArr.TupleStream)
            {
                var tuple = (Tuple)item!;
                context = tuple["@"];
                frame = FrameFromTuple(env, tuple);
            }

            var res = Evaluate(predicate, context, frame);
            if (res is double d && IsNumeric(d))
            {
                var ii = (int)Math.Floor(d);
                if (ii < 0)
                {
                    ii = inputArr.Count + ii;
                }

                if (ii == index)
                {
                    results.Add(item);
                }
            }
            else if (res is JArray resArr && resArr.Count > 0 && resArr.TrueForAll(v => v is double))
            {
                foreach (var ires in resArr.Cast<double>())
                {
                    var ii = (int)Math.Floor(ires);
                    if (ii < 0)
                    {
                        ii = inputArr.Count + ii;
                    }

                    if (ii == index)
                    {
                        results.Add(item);
                    }
                }
            }
            else if (Builtins.ToBoolean(res) == true)
            {
                results.Add(item);
            }
        }

        return results;
    }

    internal static object? Lookup(object? input, string key)
    {
        if (input is JArray arr)
        {
            var result = JArray.NewSequence();
            foreach (var item in arr)
            {
                var res = Lookup(item, key);
                if (res != null)
                {
                    if (res is JArray resArr)
                    {
                        result.AddRange(resArr);
                    }
                    else
                    {
                        result.Add(res);
                    }
                }
            }

            return result;
        }

        if (input is JObject obj)
        {
            return obj.TryGetValue(key, out var v) ? v : null;
        }

        return null;
    }

    private static JArray EvaluateWildcard(object? input)
    {
        var results = JArray.NewSequence();
        if (input is JArray { OuterWrapper: true, Count: > 0 } wrapped)
        {
            input = wrapped[0];
        }

        IEnumerable<object?>? values = input switch
        {
            JObject o => o.Values,
            JArray a => a,
            _ => null,
        };
        if (values != null)
        {
            foreach (var value in values)
            {
                if (value is JArray arr)
                {
                    var flat = Flatten(arr, null);
                    var appended = new JArray(results);
                    appended.AddRange(flat);
                    results = appended;
                }
                else
                {
                    results.Add(value);
                }
            }
        }

        return results;
    }

    private static JArray Flatten(JArray arg, JArray? flattened)
    {
        flattened ??= [];
        foreach (var item in arg)
        {
            if (item is JArray inner)
            {
                Flatten(inner, flattened);
            }
            else
            {
                flattened.Add(item);
            }
        }

        return flattened;
    }

    private static object? EvaluateDescendants(object? input)
    {
        if (input == null)
        {
            return null;
        }

        var resultSequence = JArray.NewSequence();
        RecurseDescendants(input, resultSequence);
        return resultSequence.Count == 1 ? resultSequence[0] : resultSequence;
    }

    private static void RecurseDescendants(object? input, JArray results)
    {
        if (input is JArray arr)
        {
            foreach (var member in arr)
            {
                RecurseDescendants(member, results);
            }

            return;
        }

        results.Add(input);
        if (input is JObject obj)
        {
            foreach (var (_, value) in obj)
            {
                RecurseDescendants(value, results);
            }
        }
    }

    private static object? EvaluateBinary(Node expr, object? input, Frame env)
    {
        var lhs = Evaluate(expr.Lhs!, input, env);
        var op = expr.Text!;
        if (op == "and")
        {
            return Builtins.ToBoolean(lhs) == true && Builtins.ToBoolean(Evaluate(expr.Rhs!, input, env)) == true;
        }

        if (op == "or")
        {
            return Builtins.ToBoolean(lhs) == true || Builtins.ToBoolean(Evaluate(expr.Rhs!, input, env)) == true;
        }

        var rhs = Evaluate(expr.Rhs!, input, env);
        try
        {
            switch (op)
            {
                case "+" or "-" or "*" or "/" or "%":
                    return Numeric(lhs, rhs, op);
                case "=":
                    return lhs != null && rhs != null && Builtins.DeepEquals(lhs, rhs);
                case "!=":
                    return lhs != null && rhs != null && !Builtins.DeepEquals(lhs, rhs);
                case "<" or "<=" or ">" or ">=":
                    return Compare(lhs, rhs, op);
                case "&":
                    return (lhs == null ? string.Empty : Builtins.ToJsString(lhs)) + (rhs == null ? string.Empty : Builtins.ToJsString(rhs));
                case "..":
                    return Range(lhs, rhs);
                case "in":
                    return Includes(lhs, rhs);
                default:
                    throw Errors.Create("S0204", expr.Position, token: op);
            }
        }
        catch (JsonataException e) when (Locate(e, expr.Position, op))
        {
            throw;
        }
    }

    private static object? Numeric(object? lhs, object? rhs, string op)
    {
        if (lhs != null && !(lhs is double ld && IsNumeric(ld)))
        {
            throw Errors.Create("T2001", value: lhs);
        }

        if (rhs != null && !(rhs is double rd && IsNumeric(rd)))
        {
            throw Errors.Create("T2002", value: rhs);
        }

        if (lhs == null || rhs == null)
        {
            return null;
        }

        var l = (double)lhs;
        var r = (double)rhs;
        return op switch
        {
            "+" => l + r,
            "-" => l - r,
            "*" => l * r,
            "/" => l / r,
            _ => l % r,
        };
    }

    private static object? Compare(object? lhs, object? rhs, string op)
    {
        var lComparable = lhs is null or string || (lhs is double ld && IsNumeric(ld));
        var rComparable = rhs is null or string || (rhs is double rd && IsNumeric(rd));
        if (!lComparable || !rComparable)
        {
            throw Errors.Create("T2010", value: !lComparable ? lhs : rhs);
        }

        if (lhs == null || rhs == null)
        {
            return null;
        }

        if (lhs.GetType() != rhs.GetType())
        {
            throw Errors.Create("T2009", value: lhs, value2: rhs);
        }

        var c = lhs is string ls ? string.CompareOrdinal(ls, (string)rhs) : ((double)lhs).CompareTo((double)rhs);
        return op switch
        {
            "<" => c < 0,
            "<=" => c <= 0,
            ">" => c > 0,
            _ => c >= 0,
        };
    }

    private static object? Range(object? lhs, object? rhs)
    {
        if (lhs != null && !(lhs is double l && double.IsInteger(l)))
        {
            throw Errors.Create("T2003", value: lhs);
        }

        if (rhs != null && !(rhs is double r && double.IsInteger(r)))
        {
            throw Errors.Create("T2004", value: rhs);
        }

        if (lhs == null || rhs == null)
        {
            return null;
        }

        var from = (double)lhs;
        var to = (double)rhs;
        if (from > to)
        {
            return null;
        }

        var size = to - from + 1;
        if (size > 1e7)
        {
            throw Errors.Create("D2014", value: size);
        }

        var result = new JArray((int)size) { Sequence = true };
        for (var i = 0; i < (int)size; i++)
        {
            result.Add(from + i);
        }

        return result;
    }

    private static bool Includes(object? lhs, object? rhs)
    {
        if (lhs == null || rhs == null)
        {
            return false;
        }

        if (rhs is not JArray arr)
        {
            return StrictEquals(lhs, rhs);
        }

        foreach (var item in arr)
        {
            if (StrictEquals(lhs, item))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StrictEquals(object? a, object? b) => a switch
    {
        double d => b is double e && d == e,
        string s => b is string t && s == t,
        bool x => b is bool y && x == y,
        _ => ReferenceEquals(a, b),
    };

    private static JObject EvaluateGroup(List<(Node Key, Node Value)> pairs, int position, object? input, Frame env)
    {
        var result = new JObject();
        var groups = new OrderedDictionary<string, (object? Data, int ExprIndex)>(StringComparer.Ordinal);
        var reduce = input is JArray { TupleStream: true };
        var inputArr = input as JArray ?? JArray.NewSequence(input);
        if (inputArr.Count == 0)
        {
            inputArr = JArray.NewSequence(null);
        }

        foreach (var item in inputArr)
        {
            // an empty tuple stream still gives the constructor one (undefined) item: no bindings, no context
            var tupleItem = reduce ? item as Tuple : null;
            var frame = tupleItem != null ? FrameFromTuple(env, tupleItem) : env;
            for (var pairIndex = 0; pairIndex < pairs.Count; pairIndex++)
            {
                var key = Evaluate(pairs[pairIndex].Key, reduce ? tupleItem?.GetValueOrDefault("@") : item, frame);
                if (key != null && key is not string)
                {
                    throw Errors.Create("T1003", position, value: key);
                }

                if (key != null)
                {
                    var k = (string)key;
                    if (groups.TryGetValue(k, out var existing))
                    {
                        if (existing.ExprIndex != pairIndex)
                        {
                            throw Errors.Create("D1009", position, value: k);
                        }

                        groups[k] = (Builtins.Append(existing.Data, item), pairIndex);
                    }
                    else
                    {
                        groups[k] = (item, pairIndex);
                    }
                }
            }
        }

        foreach (var (key, entry) in groups)
        {
            var context = entry.Data;
            var frame = env;
            if (reduce && entry.Data != null)
            {
                var tuple = ReduceTupleStream(entry.Data);
                context = tuple["@"];
                tuple.Remove("@");
                frame = FrameFromTuple(env, tuple);
            }

            var value = Evaluate(pairs[entry.ExprIndex].Value, context, frame);
            if (value != null)
            {
                result[key] = value;
            }
        }

        return result;
    }

    private static Tuple ReduceTupleStream(object? tupleStream)
    {
        if (tupleStream is Tuple single)
        {
            return new Tuple(single);
        }

        var arr = (JArray)tupleStream!;
        var result = new Tuple((Tuple)arr[0]!);
        for (var ii = 1; ii < arr.Count; ii++)
        {
            foreach (var (prop, value) in (Tuple)arr[ii]!)
            {
                result[prop] = Builtins.Append(result.GetValueOrDefault(prop), value);
            }
        }

        return result;
    }

    private static JArray EvaluateSort(Node expr, JArray input, Frame env)
    {
        var isTupleSort = input.TupleStream;
        int Comparator(object? a, object? b)
        {
            var comp = 0;
            for (var index = 0; comp == 0 && index < expr.Terms!.Count; index++)
            {
                var term = expr.Terms[index];
                var contextA = a;
                var frameA = env;
                if (isTupleSort)
                {
                    contextA = ((Tuple)a!)["@"];
                    frameA = FrameFromTuple(env, (Tuple)a);
                }

                var aa = Evaluate(term.Expression, contextA, frameA);
                var contextB = b;
                var frameB = env;
                if (isTupleSort)
                {
                    contextB = ((Tuple)b!)["@"];
                    frameB = FrameFromTuple(env, (Tuple)b);
                }

                var bb = Evaluate(term.Expression, contextB, frameB);
                if (aa == null)
                {
                    comp = bb == null ? 0 : 1;
                    continue;
                }

                if (bb == null)
                {
                    comp = -1;
                    continue;
                }

                if (aa is not (string or double) || bb is not (string or double))
                {
                    throw Errors.Create("T2008", expr.Position, value: aa is not (string or double) ? aa : bb);
                }

                if (aa.GetType() != bb.GetType())
                {
                    throw Errors.Create("T2007", expr.Position, value: aa, value2: bb);
                }

                var c = aa is string sa ? string.CompareOrdinal(sa, (string)bb) : ((double)aa).CompareTo((double)bb);
                comp = Math.Sign(c);
                if (term.Descending)
                {
                    comp = -comp;
                }
            }

            return comp;
        }

        var sorted = Builtins.MergeSort(input, (a, b) => Comparator(a, b) > 0);
        sorted.Sequence = true;
        sorted.TupleStream = isTupleSort;
        return sorted;
    }

    private static object? EvaluateFunction(Node expr, object? input, Frame env, bool hasContext, object? applyToContext)
    {
        var proc = Evaluate(expr.Procedure!, input, env);
        var procName = expr.Procedure!.Type == NodeType.Path ? expr.Procedure.Steps![0].Text : expr.Procedure.Text;
        if (proc == null && expr.Procedure.Type == NodeType.Path && env.IsBound(procName!))
        {
            throw Errors.Create("T1005", expr.Position, token: procName);
        }

        var args = new object?[expr.Arguments!.Count + (hasContext ? 1 : 0)];
        var i = 0;
        if (hasContext)
        {
            args[i++] = applyToContext;
        }

        foreach (var arg in expr.Arguments)
        {
            args[i++] = Evaluate(arg, input, env);
        }

        try
        {
            return Apply(proc, args, input, env, procName);
        }
        catch (JsonataException e) when (Locate(e, expr.Position, procName))
        {
            throw;
        }
    }

    /// <summary>Calls a function value, running the trampoline for tail calls.</summary>
    internal static object? Apply(object? proc, object?[] args, object? input, Frame env, string? name = null)
    {
        var result = ApplyInner(proc, args, input, env, name);
        while (result is Lambda { Thunk: true } thunk)
        {
            var body = thunk.Body;
            var next = Evaluate(body.Procedure!, thunk.Input, thunk.Environment);
            var nextName = body.Procedure!.Type == NodeType.Path ? body.Procedure.Steps![0].Text : body.Procedure.Text;
            var evaluatedArgs = new object?[body.Arguments!.Count];
            for (var ii = 0; ii < evaluatedArgs.Length; ii++)
            {
                evaluatedArgs[ii] = Evaluate(body.Arguments[ii], thunk.Input, thunk.Environment);
            }

            try
            {
                result = ApplyInner(next, evaluatedArgs, thunk.Input, thunk.Environment, nextName);
            }
            catch (JsonataException e) when (Locate(e, body.Position, nextName))
            {
                throw;
            }
        }

        return result;
    }

    private static object? ApplyInner(object? proc, object?[] args, object? input, Frame env, string? name)
    {
        var validated = args;
        if (proc is JsonataFunction f && f.Signature != null)
        {
            validated = f.Signature.Validate(args, input, name);
        }

        switch (proc)
        {
            case Lambda lambda:
                return ApplyProcedure(lambda, validated);
            case NativeFunction native:
                return native.Implementation(new CallContext(input, env), validated);
            case PartialFunction partial:
            {
                var full = new object?[partial.Arguments.Length];
                var next = 0;
                for (var ii = 0; ii < full.Length; ii++)
                {
                    full[ii] = ReferenceEquals(partial.Arguments[ii], PartialFunction.Placeholder)
                        ? (next < validated.Length ? validated[next++] : null)
                        : partial.Arguments[ii];
                }

                return Apply(partial.Target, full, input, partial.Environment, name);
            }

            case RegexFunction regex:
                return Builtins.RegexMatchObject(regex, validated.Length > 0 ? validated[0] as string : null, 0);
            default:
                throw Errors.Create("T1006", -1, token: name);
        }
    }

    private static object? ApplyProcedure(Lambda proc, object?[] args)
    {
        var frame = new Frame(proc.Environment, null);
        for (var i = 0; i < proc.Parameters.Count; i++)
        {
            frame.Bind(proc.Parameters[i], i < args.Length ? args[i] : null);
        }

        return Evaluate(proc.Body, proc.Input, frame);
    }

    private static object? EvaluatePartial(Node expr, object? input, Frame env)
    {
        var args = new object?[expr.Arguments!.Count];
        for (var i = 0; i < args.Length; i++)
        {
            var arg = expr.Arguments[i];
            args[i] = arg.Type == NodeType.Placeholder ? PartialFunction.Placeholder : Evaluate(arg, input, env);
        }

        var proc = Evaluate(expr.Procedure!, input, env);
        var procName = expr.Procedure!.Type == NodeType.Path ? expr.Procedure.Steps![0].Text : expr.Procedure.Text;
        if (proc == null && expr.Procedure.Type == NodeType.Path && env.IsBound(procName!))
        {
            throw Errors.Create("T1007", expr.Position, token: procName);
        }

        if (proc is Lambda lambda)
        {
            // bind the supplied arguments now; the placeholders become the new lambda's parameters
            var frame = new Frame(lambda.Environment, null);
            var unbound = new List<string>();
            for (var i = 0; i < lambda.Parameters.Count; i++)
            {
                var arg = i < args.Length ? args[i] : null;
                if (ReferenceEquals(arg, PartialFunction.Placeholder))
                {
                    unbound.Add(lambda.Parameters[i]);
                }
                else
                {
                    frame.Bind(lambda.Parameters[i], arg);
                }
            }

            return new Lambda(null) { Body = lambda.Body, Parameters = unbound, Input = lambda.Input, Environment = frame };
        }

        if (proc is JsonataFunction function)
        {
            return new PartialFunction { Target = function, Arguments = args, Environment = env };
        }

        throw Errors.Create("T1008", expr.Position, token: procName);
    }

    private static object? EvaluateApply(Node expr, object? input, Frame env)
    {
        var lhs = Evaluate(expr.Lhs!, input, env);
        if (expr.Rhs!.Type == NodeType.Function)
        {
            return EvaluateFunction(expr.Rhs, input, env, hasContext: true, lhs);
        }

        var func = Evaluate(expr.Rhs, input, env);
        if (func is not JsonataFunction)
        {
            throw Errors.Create("T2006", expr.Position, value: func);
        }

        if (lhs is JsonataFunction first)
        {
            // function composition: x ~> (f ~> g) is g(f(x))
            var second = (JsonataFunction)func;
            return new NativeFunction("chain", null, 1, (ctx, args) =>
                Apply(second, [Apply(first, [args.Length > 0 ? args[0] : null], null, env)], null, env));
        }

        return Apply(func, [lhs], null, env);
    }

    private static object? Transform(Node expr, object? obj, Frame env)
    {
        if (obj == null)
        {
            return null;
        }

        var cloneFunction = env.Lookup("clone");
        if (cloneFunction is not JsonataFunction)
        {
            throw Errors.Create("T2013", expr.Position);
        }

        var result = Apply(cloneFunction, [obj], null, env);
        var matches = Evaluate(expr.Expression!, result, env);
        if (matches != null)
        {
            var matchList = matches as JArray ?? new JArray { matches };
            foreach (var match in matchList)
            {
                var update = Evaluate(expr.Update!, match, env);
                if (update != null)
                {
                    if (update is not JObject updateObj)
                    {
                        throw Errors.Create("T2011", expr.Update!.Position, value: update);
                    }

                    if (match is JObject target)
                    {
                        foreach (var (k, v) in updateObj)
                        {
                            target[k] = v;
                        }
                    }
                }

                if (expr.Delete != null)
                {
                    var deletions = Evaluate(expr.Delete, match, env);
                    if (deletions != null)
                    {
                        var list = deletions as JArray ?? new JArray { deletions };
                        if (!list.TrueForAll(v => v is string))
                        {
                            throw Errors.Create("T2012", expr.Delete.Position, value: deletions);
                        }

                        if (match is JObject target)
                        {
                            foreach (var key in list.Cast<string>())
                            {
                                target.Remove(key);
                            }
                        }
                    }
                }
            }
        }

        return result;
    }
}
