namespace EdgeKv.Functions.Security;

/// <summary>
/// The function checks its caller's credential itself (say which: an activation key in the body, a Functions key) or is
/// public.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class AuthenticatedByAttribute(string credential) : Attribute
{
    public string Credential { get; } = credential;
}
