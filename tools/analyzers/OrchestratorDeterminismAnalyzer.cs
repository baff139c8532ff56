using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace EdgeKv.Durable.Analyzers;

/// <summary>
/// Rejects code in orchestrators (<c>Microsoft.DurableTask.ITaskOrchestrator</c>) that would make replay take a
/// different path and that Microsoft's Durable Task analyzers do not catch: random numbers, stopwatches and tick
/// counts, file I/O.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OrchestratorDeterminismAnalyzer : DiagnosticAnalyzer
{
    public const string DiagnosticId = "EKD0001";

    private static readonly DiagnosticDescriptor Rule = new(
        DiagnosticId,
        "Orchestrator code must be deterministic",
        "'{0}' is not deterministic in orchestrator '{1}'; {2}",
        "EdgeKv.Durable",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Orchestrators are replayed from their history; anything that can differ between replays breaks them.");

    // Only what Microsoft.DurableTask.Analyzers (DURABLE0001-0010) does not already reject: they cover DateTime,
    // DateTimeOffset, TimeProvider, Guid.NewGuid, Task.Delay, Thread.Sleep, threads and tasks, environment variables
    // and the HTTP and Azure storage clients.
    private static readonly ImmutableDictionary<string, string> BannedMembers = new Dictionary<string, string>
    {
        ["System.Environment.TickCount"] = "use context.CurrentUtcDateTime",
        ["System.Environment.TickCount64"] = "use context.CurrentUtcDateTime",
    }.ToImmutableDictionary();

    // Types whose every use is I/O, randomness or timing.
    private static readonly ImmutableDictionary<string, string> BannedTypes = new Dictionary<string, string>
    {
        ["System.Random"] = "derive values from the input or context.NewGuid()",
        ["System.Security.Cryptography.RandomNumberGenerator"] = "derive values from the input or context.NewGuid()",
        ["System.Diagnostics.Stopwatch"] = "use context.CurrentUtcDateTime",
        ["System.IO.File"] = "do I/O in an activity",
        ["System.IO.Directory"] = "do I/O in an activity",
    }.ToImmutableDictionary();

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            INamedTypeSymbol? orchestrator = start.Compilation.GetTypeByMetadataName("Microsoft.DurableTask.ITaskOrchestrator");
            if (orchestrator is null) return;
            start.RegisterOperationAction(c => Check(c, orchestrator,
                (c.Operation as IInvocationOperation)?.TargetMethod), OperationKind.Invocation);
            start.RegisterOperationAction(c => Check(c, orchestrator,
                (c.Operation as IPropertyReferenceOperation)?.Property), OperationKind.PropertyReference);
            start.RegisterOperationAction(c => Check(c, orchestrator,
                (c.Operation as IObjectCreationOperation)?.Constructor), OperationKind.ObjectCreation);
        });
    }

    private static void Check(OperationAnalysisContext context, INamedTypeSymbol orchestrator, ISymbol? member)
    {
        if (member is null) return;
        INamedTypeSymbol? containing = context.ContainingSymbol.ContainingType;
        if (containing is null || !containing.AllInterfaces.Contains(orchestrator,
            SymbolEqualityComparer.Default)) return;

        string type = member.ContainingType.OriginalDefinition.ToDisplayString();
        string name = $"{type}.{member.Name}";
        string? advice = BannedMembers.TryGetValue(name, out string? m) ? m : BannedTypes.TryGetValue(type,
            out string? t) ? t : null;
        if (advice is null) return;
        string shown = member is IMethodSymbol { MethodKind: MethodKind.Constructor } ? $"new {member.ContainingType.Name}" : $"{member.ContainingType.Name}.{member.Name}";
        context.ReportDiagnostic(Diagnostic.Create(Rule, context.Operation.Syntax.GetLocation(), shown, containing.Name,
            advice));
    }
}
