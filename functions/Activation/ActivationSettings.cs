namespace EdgeKv.Functions.Activation;

/// <summary>Activation settings (section <c>EdgeKv:Activation</c>).</summary>
public sealed class ActivationSettings
{
    public const string SectionName = "EdgeKv:Activation";

    /// <summary>How long an activation key is valid.</summary>
    public TimeSpan KeyValidity { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How often the audit storage account's creation is polled (on a durable timer).</summary>
    public TimeSpan StoragePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the audit storage account may take before activation goes on without it (a warning).</summary>
    public TimeSpan StorageTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The endpoint devices present activation keys to; empty = the URL the starter was called on.</summary>
    public Uri? PublicEndpoint { get; set; }

    public void Validate()
    {
        if (KeyValidity <= TimeSpan.Zero || KeyValidity > TimeSpan.FromDays(30)) throw new InvalidOperationException("EdgeKv:Activation:KeyValidity must be between 0 and 30 days.");
        if (StoragePollInterval <= TimeSpan.Zero) throw new InvalidOperationException("EdgeKv:Activation:StoragePollInterval must be positive.");
        if (StorageTimeout <= TimeSpan.Zero) throw new InvalidOperationException("EdgeKv:Activation:StorageTimeout must be positive.");
    }
}
