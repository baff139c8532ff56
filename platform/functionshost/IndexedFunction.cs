namespace EdgeKv.FunctionsHost;

/// <summary>
/// One function the worker reports to the host, whatever its trigger (<c>httpTrigger</c>, <c>timerTrigger</c>,
/// <c>orchestrationTrigger</c>, <c>activityTrigger</c>): all of them share one name space.
/// </summary>
public sealed record IndexedFunction(string Name, string Trigger);
