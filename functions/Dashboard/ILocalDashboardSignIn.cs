namespace EdgeKv.Functions.Dashboard;

/// <summary>
/// A sign-in the composition around the app offers the dashboard besides Entra ID: the local host's test principals of
/// its emulator. Azure registers none.
/// </summary>
public interface ILocalDashboardSignIn
{
    /// <summary>
    /// The <c>local</c> section of <c>config.json</c> (<c>tokenUrl</c>, <c>principals</c>), or null when there is none
    /// to offer.
    /// </summary>
    object? Describe();
}
