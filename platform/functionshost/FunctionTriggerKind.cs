namespace EdgeKv.FunctionsHost;

/// <summary>The trigger of a function, as <c>functions.metadata</c> names it.</summary>
public enum FunctionTriggerKind
{
    HttpTrigger,
    TimerTrigger,
}
