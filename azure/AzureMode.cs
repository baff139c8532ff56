namespace EdgeKv.Azure;

/// <summary>Where EdgeKv's Azure calls go.</summary>
public enum AzureMode
{
    /// <summary>Real Azure: public endpoints, <c>DefaultAzureCredential</c>.</summary>
    Azure,

    /// <summary>The local emulator: its endpoint and token service, its certificate trusted by thumbprint.</summary>
    Emulator,
}
