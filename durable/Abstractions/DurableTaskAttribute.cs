namespace EdgeKv.Durable;

/// <summary>
/// Names an orchestrator or activity. The name is persisted in history, so it is a contract:
/// to change a workflow's shape, add a new name (for example "ActivationV2") instead of editing in place.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class DurableTaskAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    internal static string NameOf(Type type)
        => type.GetCustomAttributes(typeof(DurableTaskAttribute), false) is [DurableTaskAttribute a, ..] ? a.Name : type.Name;
}
