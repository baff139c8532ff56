using System.Text.RegularExpressions;

namespace EdgeKv.Emulator.Authorization;

/// <summary>
/// An Azure ABAC condition (conditionVersion 2.0) on a role assignment, in the form Azure documents for delegating role
/// assignment management ("constrain roles"): <c>ActionMatches{'action'}</c>, the role definition id of the assignment
/// requested (<c>@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId]</c>) or deleted
/// (<c>@Resource[...]</c>) compared with <c>ForAnyOfAnyValues:GuidEquals {guid, ...}</c>, combined with AND, OR, NOT
/// (<c>!</c>) and parentheses. Anything else is refused when the condition is parsed, so a condition the emulator
/// cannot evaluate is never ignored. An attribute the action does not carry (the request's role on a delete) matches
/// nothing, as in Azure.
/// </summary>
internal sealed partial class RoleAssignmentCondition
{
    private const string RoleDefinitionIdAttribute = "Microsoft.Authorization/roleAssignments:RoleDefinitionId";
    private readonly Node root;

    private RoleAssignmentCondition(Node root) => this.root = root;

    /// <summary>
    /// What a condition is evaluated against: the action, and the role of the assignment requested or deleted when
    /// known.
    /// </summary>
    public sealed record Attributes(string Action, Guid? RequestRoleDefinitionId, Guid? ResourceRoleDefinitionId);

    /// <summary>Parses a condition; a <see cref="FormatException"/> names what is not understood.</summary>
    public static RoleAssignmentCondition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(Tokens(text));
        Node node = parser.Or();
        parser.End();
        return new RoleAssignmentCondition(node);
    }

    public bool Allows(Attributes attributes) => root.Evaluate(attributes);

    private abstract record Node
    {
        public abstract bool Evaluate(Attributes a);
    }

    private sealed record OrNode(Node Left, Node Right) : Node
    {
        public override bool Evaluate(Attributes a) => Left.Evaluate(a) || Right.Evaluate(a);
    }

    private sealed record AndNode(Node Left, Node Right) : Node
    {
        public override bool Evaluate(Attributes a) => Left.Evaluate(a) && Right.Evaluate(a);
    }

    private sealed record NotNode(Node Inner) : Node
    {
        public override bool Evaluate(Attributes a) => !Inner.Evaluate(a);
    }

    private sealed record ActionMatches(string Pattern) : Node
    {
        public override bool Evaluate(Attributes a) => ActionPattern.Matches(Pattern, a.Action);
    }

    private sealed record RoleIn(bool FromRequest, IReadOnlyList<Guid> Roles) : Node
    {
        public override bool Evaluate(Attributes a) => (FromRequest ? a.RequestRoleDefinitionId : a.ResourceRoleDefinitionId) is { } role && Roles.Contains(role);
    }

    private static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        int at = 0;
        while (at < text.Length)
        {
            if (char.IsWhiteSpace(text[at]))
            {
                at++;
                continue;
            }

            Match match = TokenPattern().Match(text, at);
            if (!match.Success || match.Index != at)
            {
                throw new FormatException($"The condition cannot be parsed at position {at}: '{text[at..Math.Min(text.Length, at + 40)]}'.");
            }

            tokens.Add(match.Value);
            at += match.Length;
        }

        return tokens;
    }

    private sealed class Parser(List<string> tokens)
    {
        private int next;

        public Node Or()
        {
            Node left = And();
            while (Accept("OR")) left = new OrNode(left, And());
            return left;
        }

        public void End()
        {
            if (next < tokens.Count) throw new FormatException($"Unexpected '{tokens[next]}' in the condition.");
        }

        private Node And()
        {
            Node left = Unary();
            while (Accept("AND")) left = new AndNode(left, Unary());
            return left;
        }

        private Node Unary()
        {
            if (Accept("!") || Accept("NOT")) return new NotNode(Unary());
            if (Accept("("))
            {
                Node inner = Or();
                Expect(")");
                return inner;
            }

            string token = Take();
            if (ActionPatternToken().Match(token) is { Success: true } action)
            {
                return new ActionMatches(action.Groups["action"].Value);
            }

            if (AttributeToken().Match(token) is { Success: true } attribute)
            {
                if (!string.Equals(attribute.Groups["name"].Value, RoleDefinitionIdAttribute,
                    StringComparison.OrdinalIgnoreCase))
                {
                    throw new FormatException($"The attribute '{attribute.Groups["name"].Value}' is not supported in this condition.");
                }

                string op = Take();
                if (!string.Equals(op, "ForAnyOfAnyValues:GuidEquals", StringComparison.OrdinalIgnoreCase))
                {
                    throw new FormatException($"The operator '{op}' is not supported in this condition.");
                }

                string set = Take();
                if (GuidSetToken().Match(set) is not { Success: true } values)
                {
                    throw new FormatException($"'{set}' is not a set of GUIDs.");
                }

                var roles = new List<Guid>();
                foreach (string value in values.Groups["items"].Value.Split(',',
                    StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    roles.Add(Guid.TryParse(value,
                        out Guid id) ? id : throw new FormatException($"'{value}' is not a GUID."));
                }

                return new RoleIn(string.Equals(attribute.Groups["source"].Value, "Request",
                    StringComparison.OrdinalIgnoreCase), roles);
            }

            throw new FormatException($"Unexpected '{token}' in the condition.");
        }

        private bool Accept(string token)
        {
            if (next < tokens.Count && string.Equals(tokens[next], token, StringComparison.OrdinalIgnoreCase))
            {
                next++;
                return true;
            }

            return false;
        }

        private void Expect(string token)
        {
            if (!Accept(token)) throw new FormatException($"Expected '{token}' in the condition.");
        }

        private string Take() => next < tokens.Count ? tokens[next++] : throw new FormatException("The condition ends too early.");
    }

    // Parentheses, '!', ActionMatches{'...'}, @Source[attribute], a {set}, or a word (AND, OR, NOT, an operator).
    [GeneratedRegex(@"\(|\)|!|ActionMatches\{'[^']*'\}|@\w+\[[^\]]*\]|\{[^}]*\}|[\w:]+", RegexOptions.CultureInvariant,
        matchTimeoutMilliseconds: 1000)]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"^ActionMatches\{'(?<action>[^']+)'\}$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase,
        matchTimeoutMilliseconds: 1000)]
    private static partial Regex ActionPatternToken();

    [GeneratedRegex(@"^@(?<source>Request|Resource)\[(?<name>[^\]]+)\]$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AttributeToken();

    [GeneratedRegex(@"^\{(?<items>[^}]*)\}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex GuidSetToken();
}
