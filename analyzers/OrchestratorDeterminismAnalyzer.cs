using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace EdgeKv.Durable.Analyzers;

/// <summary>
/// Rejects code in orchestrators that would make replay take a different path: wall-clock time, new GUIDs,
/// random numbers, delays, threads, and I/O. The context offers a deterministic replacement for each.
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

    // Members that differ between replays, and what to use instead.
    private static readonly ImmutableDictionary<string, string> BannedMembers = new Dictionary<string, string>
    {
        ["System.DateTime.Now"] = "use context.CurrentUtcDateTime",
        ["System.DateTime.UtcNow"] = "use context.CurrentUtcDateTime",
        ["System.DateTime.Today"] = "use context.CurrentUtcDateTime",
        ["System.DateTimeOffset.Now"] = "use context.CurrentUtcDateTime",
        ["System.DateTimeOffset.UtcNow"] = "use context.CurrentUtcDateTime",
        ["System.TimeProvider.GetUtcNow"] = "use context.CurrentUtcDateTime",
        ["System.TimeProvider.GetLocalNow"] = "use context.CurrentUtcDateTime",
        ["System.Environment.TickCount"] = "use context.CurrentUtcDateTime",
        ["System.Environment.TickCount64"] = "use context.CurrentUtcDateTime",
        ["System.Guid.NewGuid"] = "use context.NewGuid()",
        ["System.Threading.Tasks.Task.Delay"] = "use context.CreateTimer(...)",
        ["System.Threading.Thread.Sleep"] = "use context.CreateTimer(...)",
        ["System.Threading.Tasks.Task.Run"] = "orchestrator code runs on the replay thread; do the work in an activity",
        ["System.Environment.GetEnvironmentVariable"] = "read settings in an activity and pass them in",
    }.ToImmutableDictionary();

    // Types whose every use is I/O, randomness or timing.
    private static readonly ImmutableDictionary<string, string> BannedTypes = new Dictionary<string, string>
    {
        ["System.Random"] = "derive values from the input or context.NewGuid()",
        ["System.Diagnostics.Stopwatch"] = "use context.CurrentUtcDateTime",
        ["System.IO.File"] = "do I/O in an activity",
        ["System.IO.Directory"] = "do I/O in an activity",
        ["System.Net.Http.HttpClient"] = "do I/O in an activity",
        ["System.Threading.Thread"] = "orchestrator code runs on the replay thread; do the work in an activity",
        ["System.Threading.Tasks.TaskFactory"] = "orchestrator code runs on the replay thread; do the work in an activity",
    }.ToImmutableDictionary();

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            INamedTypeSymbol? orchestrator = start.Compilation.GetTypeByMetadataName("EdgeKv.Durable.ITaskOrchestrator");
            if (orchestrator is null) return;
            start.RegisterOperationAction(c => Check(c, orchestrator, (c.Operation as IInvocationOperation)?.TargetMethod), OperationKind.Invocation);
            start.RegisterOperationAction(c => Check(c, orchestrator, (c.Operation as IPropertyReferenceOperation)?.Property), OperationKind.PropertyReference);
            start.RegisterOperationAction(c => Check(c, orchestrator, (c.Operation as IObjectCreationOperation)?.Constructor), OperationKind.ObjectCreation);
        });
    }

    private static void Check(OperationAnalysisContext context, INamedTypeSymbol orchestrator, ISymbol? member)
    {
        if (member is null) return;
        INamedTypeSymbol? containing = context.ContainingSymbol.ContainingType;
        if (containing is null || !containing.AllInterfaces.Contains(orchestrator, SymbolEqualityComparer.Default)) return;

        string type = member.ContainingType.OriginalDefinition.ToDisplayString();
        string name = $"{type}.{member.Name}";
        string? advice = BannedMembers.TryGetValue(name, out string? m) ? m : BannedTypes.TryGetValue(type, out string? t) ? t : null;
        if (advice is null) return;
        string shown = member is IMethodSymbol { MethodKind: MethodKind.Constructor } ? $"new {member.ContainingType.Name}" : $"{member.ContainingType.Name}.{member.Name}";
        context.ReportDiagnostic(Diagnostic.Create(Rule, context.Operation.Syntax.GetLocation(), shown, containing.Name, advice));
    }
}
