using System.Collections.Immutable;
using EdgeKv.Durable.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EdgeKv.Durable.Tests;

[TestClass]
public sealed class OrchestratorDeterminismAnalyzerTests
{
    [TestMethod]
    [DataRow("new Random().Next().ToString()", "new Random")]
    [DataRow("System.IO.File.ReadAllText(\"x\")", "File.ReadAllText")]
    [DataRow("Environment.TickCount64.ToString()", "Environment.TickCount64")]
    [DataRow("System.Diagnostics.Stopwatch.GetTimestamp().ToString()", "Stopwatch.GetTimestamp")]
    public async Task Nondeterministic_calls_in_an_orchestrator_are_errors(string expression, string reported)
    {
        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync($$"""
            public sealed class Flow : TaskOrchestrator<string, string>
            {
                public override Task<string> RunAsync(TaskOrchestrationContext context, string input) => Task.FromResult({{expression}});
            }
            """);

        Assert.IsTrue(diagnostics.Length > 0);
        Assert.IsTrue(diagnostics.All(d => d.Id == OrchestratorDeterminismAnalyzer.DiagnosticId && d.Severity == DiagnosticSeverity.Error));
        Assert.IsTrue(diagnostics.Any(d => d.GetMessage().Contains($"'{reported}'", StringComparison.Ordinal)),
            string.Join("\n", diagnostics));
    }

    [TestMethod]
    public async Task Rules_Microsoft_analyzers_already_enforce_are_not_repeated()
    {
        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync("""
            public sealed class Flow : TaskOrchestrator<string, string>
            {
                public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
                {
                    await Task.Delay(1000);
                    await context.CreateTimer(TimeSpan.FromSeconds(1), CancellationToken.None);
                    return context.CurrentUtcDateTime.ToString("o") + context.NewGuid();
                }
            }
            """);

        Assert.AreEqual(0, diagnostics.Length,
            "DURABLE0001-0003 (Microsoft.DurableTask.Analyzers) cover Task.Delay, the clock and Guid.NewGuid");
    }

    [TestMethod]
    public async Task Activities_may_use_the_clock_and_io()
    {
        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync("""
            public sealed class Step : TaskActivity<string, string>
            {
                public override Task<string> RunAsync(TaskActivityContext context, string input)
                    => Task.FromResult(DateTime.UtcNow.ToString("o") + Guid.NewGuid() + System.IO.File.Exists(input));
            }
            """);

        Assert.AreEqual(0, diagnostics.Length);
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string body)
    {
        string source = "using System; using System.Threading; using System.Threading.Tasks; using Microsoft.DurableTask;\n" + body;
        IEnumerable<MetadataReference> references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.",
                StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(Microsoft.DurableTask.ITaskOrchestrator).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        CSharpCompilation compilation = CSharpCompilation.Create("Probe", [CSharpSyntaxTree.ParseText(source)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable));
        Assert.AreEqual(0, compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error),
            string.Join("\n", compilation.GetDiagnostics()));
        return await compilation.WithAnalyzers([new OrchestratorDeterminismAnalyzer()]).GetAnalyzerDiagnosticsAsync();
    }
}
