namespace EdgeKv.Azure;

/// <summary>Where EdgeKv's Azure calls go.</summary>
public enum AzureMode
{
    /// <summary>
    /// Azure (a named or custom cloud): a client secret, the app's user-assigned managed identity, or
    /// <c>DefaultAzureCredential</c>.
    /// </summary>
    Azure,

    /// <summary>The local emulator: its endpoint and token service, its certificate trusted by thumbprint.</summary>
    Emulator,
}
