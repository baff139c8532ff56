using global::Azure.Core;

namespace EdgeKv.Azure.Monitoring;

/// <summary>Options of <see cref="AuditLogsClient"/> (transport, retries) and the Blob service version it sends.</summary>
public sealed class AuditLogsClientOptions : ClientOptions
{
    public string ServiceVersion { get; set; } = "2025-01-05";
}
