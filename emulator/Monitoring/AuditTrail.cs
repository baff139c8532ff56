using System.Text.Json.Nodes;
using EdgeKv.Emulator.Identity;
using Microsoft.AspNetCore.Http;

namespace EdgeKv.Emulator.Monitoring;

/// <summary>Writes Key Vault <c>AuditEvent</c> records for vaults with a diagnostic setting.</summary>
internal sealed class AuditTrail
{
    public Task RecordAsync(HttpContext context, JsonObject vault, string operationName, CallerIdentity? caller, TimeSpan duration, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
