using System.Text;
using System.Text.RegularExpressions;

namespace StockFlow.Jsonata;

/// <summary>
/// A function signature such as <c>&lt;s-nn?:s&gt;</c>: validates the arguments of a call, fills a missing first
/// argument from the context where the parameter is marked '-', and wraps single values for array parameters.
/// </summary>
internal sealed class Signature
{
    private static readonly Dictionary<char, string> ArrayTypeNames = new()
    {
        ['a'] = "arrays",
        ['b'] = "booleans",
        ['f'] = "functions",
        ['n'] = "numbers",
        ['o'] = "objects",
        ['s'] = "strings",
    };

    private readonly List<Param> _params;
    private readonly Regex _regex;

    private Signature(List<Param> parameters, Regex regex, string definition)
    {
        _params = parameters;
        _regex = regex;
        Definition = definition;
    }

    public string Definition { get; }

    public int ParameterCount => _params.Count;

    private sealed class Param
    {
        public required string Regex { get; set; }

        public char Type { get; set; }

        public bool Array { get; set; }

        public bool Context { get; set; }

        public Regex? ContextRegex { get; set; }

        public string? Subtype { get; set; }
    }

    public static Signature Parse(string signature, int position)
    {
        var parameters = new List<Param>();
        var position0 = 1;
        Param? param = null;
        var prevParam = new Param { Regex = string.Empty };
        while (position0 < signature.Length)
        {
            var symbol = signature[position0];
            if (symbol == ':')
            {
                break;
            }

            void Next()
            {
                parameters.Add(param!);
                prevParam = param!;
                param = null;
            }

            switch (symbol)
            {
                case 's' or 'n' or 'b' or 'l' or 'o':
                    param = new Param { Regex = "[" + symbol + "m]", Type = symbol };
                    Next();
                    break;
                case 'a':
                    param = new Param { Regex = "[asnblfom]", Type = symbol, Array = true };
                    Next();
                    break;
                case 'f':
                    param = new Param { Regex = "f", Type = symbol };
                    Next();
                    break;
                case 'j':
                    param = new Param { Regex = "[asnblom]", Type = symbol };
                    Next();
                    break;
                case 'x':
                    param = new Param { Regex = "[asnblfom]", Type = symbol };
                    Next();
                    break;
                case '-':
                    prevParam.Context = true;
                    prevParam.ContextRegex = new Regex("^" + prevParam.Regex + "$", RegexOptions.CultureInvariant);
                    prevParam.Regex += "?";
                    break;
                case '?' or '+':
                    prevParam.Regex += symbol;
                    break;
                case '(':
                {
                    var end = signature.IndexOf(')', position0);
                    var choice = signature.Substring(position0 + 1, end - position0 - 1);
                    if (choice.Contains('<', StringComparison.Ordinal))
                    {
                        throw Errors.Create("S0402", position, value: choice);
                    }

                    param = new Param { Regex = "[" + choice + "m]", Type = '(' };
                    position0 = end;
                    Next();
                    break;
                }

                case '<':
                {
                    if (prevParam.Type is 'a' or 'f')
                    {
                        var depth = 1;
                        var end = position0 + 1;
                        while (end < signature.Length && depth > 0)
                        {
                            if (signature[end] == '<')
                            {
                                depth++;
                            }
                            else if (signature[end] == '>')
                            {
                                depth--;
                            }

                            end++;
                        }

                        prevParam.Subtype = signature.Substring(position0 + 1, end - position0 - 2);
                        position0 = end - 1;
                    }
                    else
                    {
                        throw Errors.Create("S0401", position, value: prevParam.Type.ToString());
                    }

                    break;
                }
            }

            position0++;
        }

        var sb = new StringBuilder("^");
        foreach (var p in parameters)
        {
            sb.Append('(').Append(p.Regex).Append(')');
        }

        sb.Append('$');
        return new Signature(parameters, new Regex(sb.ToString(), RegexOptions.CultureInvariant), signature);
    }

    public static char Symbol(object? value) => value switch
    {
        null => 'm',
        JsonataFunction => 'f',
        string => 's',
        double => 'n',
        bool => 'b',
        JsonNull => 'l',
        JArray => 'a',
        _ => 'o',
    };

    public object?[] Validate(object?[] args, object? context, string? functionName)
    {
        var supplied = new StringBuilder(args.Length);
        foreach (var arg in args)
        {
            supplied.Append(Symbol(arg));
        }

        var suppliedSig = supplied.ToString();
        var match = _regex.Match(suppliedSig);
        if (!match.Success)
        {
            throw ValidationError(args, suppliedSig, functionName);
        }

        var validated = new List<object?>(_params.Count);
        var argIndex = 0;
        for (var index = 0; index < _params.Count; index++)
        {
            var param = _params[index];
            var m = match.Groups[index + 1].Value;
            if (m.Length == 0)
            {
                if (param.Context && param.ContextRegex != null)
                {
                    var contextType = Symbol(context);
                    if (param.ContextRegex.IsMatch(contextType.ToString()))
                    {
                        validated.Add(context);
                    }
                    else
                    {
                        var e = Errors.Create("T0411", value: context, index: argIndex + 1);
                        e.Token = functionName;
                        throw e;
                    }
                }
                else
                {
                    validated.Add(argIndex < args.Length ? args[argIndex] : null);
                    argIndex++;
                }
            }
            else
            {
                foreach (var single in m)
                {
                    // past the supplied arguments a matched "m" (missing) is undefined, as in JavaScript
                    var arg = argIndex < args.Length ? args[argIndex] : null;
                    if (param.Type == 'a')
                    {
                        if (single == 'm')
                        {
                            arg = null;
                        }
                        else
                        {
                            var arrayOk = true;
                            if (param.Subtype != null)
                            {
                                if (single != 'a' && m != param.Subtype)
                                {
                                    arrayOk = false;
                                }
                                else if (single == 'a' && arg is JArray arr && arr.Count > 0)
                                {
                                    var itemType = Symbol(arr[0]);
                                    if (itemType != param.Subtype[0])
                                    {
                                        arrayOk = false;
                                    }
                                    else
                                    {
                                        foreach (var v in arr)
                                        {
                                            if (Symbol(v) != itemType)
                                            {
                                                arrayOk = false;
                                                break;
                                            }
                                        }
                                    }
                                }
                            }

                            if (!arrayOk)
                            {
                                var e = Errors.Create("T0412", value: arg, index: argIndex + 1, type: ArrayTypeNames.GetValueOrDefault(param.Subtype![0], param.Subtype));
                                e.Token = functionName;
                                throw e;
                            }

                            if (single != 'a')
                            {
                                arg = new JArray { arg };
                            }
                        }
                    }

                    validated.Add(arg);
                    argIndex++;
                }
            }
        }

        return [.. validated];
    }

    private JsonataException ValidationError(object?[] args, string suppliedSig, string? functionName)
    {
        var badSig = new StringBuilder("^");
        var goodTo = 0;
        foreach (var p in _params)
        {
            badSig.Append(p.Regex);
            var m = Regex.Match(suppliedSig, badSig.ToString(), RegexOptions.CultureInvariant);
            if (!m.Success)
            {
                break;
            }

            goodTo = m.Length;
        }

        var e = Errors.Create("T0410", value: goodTo < args.Length ? args[goodTo] : null, index: goodTo + 1);
        e.Token = functionName;
        return e;
    }
}
