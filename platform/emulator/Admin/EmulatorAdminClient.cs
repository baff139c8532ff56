using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EdgeKv.Emulator.Hosting;

namespace EdgeKv.Emulator.Admin;

/// <summary>Client of the emulator's admin API (clock, faults, request log, identities, damage, test tokens).</summary>
public sealed class EmulatorAdminClient : IDisposable
{
    private readonly HttpClient http;

    public EmulatorAdminClient(Uri endpoint, string adminKey, string certificateThumbprint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        http = new HttpClient(CertificateTrust.CreateHandler(certificateThumbprint)) { BaseAddress = new Uri(endpoint,
            "admin/") };
        http.DefaultRequestHeaders.Add("x-emulator-admin-key", adminKey);
    }

    /// <summary>Moves the emulator clock forward (retention, purge dates, long-running operations).</summary>
    public async Task<DateTimeOffset> AdvanceClockAsync(TimeSpan by, CancellationToken cancellationToken = default)
    {
        var result = await PostAsync("clock/advance", new JsonObject { ["by"] = by.ToString("c") }, cancellationToken);
        return result!["now"]!.GetValue<DateTimeOffset>();
    }

    public async Task<DateTimeOffset> GetNowAsync(CancellationToken cancellationToken = default)
    {
        var result = await http.GetFromJsonAsync<JsonObject>("clock", AdminJson.Options, cancellationToken);
        return result!["now"]!.GetValue<DateTimeOffset>();
    }

    public async Task<FaultRule> AddFaultAsync(FaultRule rule, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("faults", rule, AdminJson.Options, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<FaultRule>(AdminJson.Options, cancellationToken))!;
    }

    /// <summary>The rules in force, each with how many requests it has hit.</summary>
    public async Task<IReadOnlyList<FaultRule>> GetFaultsAsync(CancellationToken cancellationToken = default) =>
        (await http.GetFromJsonAsync<List<FaultRule>>("faults", AdminJson.Options, cancellationToken))!;

    /// <summary>Removes one rule; requests a latency rule holds go on at once.</summary>
    public async Task RemoveFaultAsync(string id, CancellationToken cancellationToken = default) =>
        (await http.DeleteAsync($"faults/{Uri.EscapeDataString(id)}", cancellationToken)).EnsureSuccessStatusCode();

    public async Task ClearFaultsAsync(CancellationToken cancellationToken = default) =>
        (await http.DeleteAsync("faults", cancellationToken)).EnsureSuccessStatusCode();

    /// <summary>Requests served (not the admin API), filtered; all filters optional.</summary>
    public async Task<IReadOnlyList<RequestLogEntry>> GetRequestsAsync(string? method = null,
        string? pathContains = null, int? status = null,
        Guid? callerObjectId = null, DateTimeOffset? since = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (method is not null) query.Add($"method={Uri.EscapeDataString(method)}");
        if (pathContains is not null) query.Add($"pathContains={Uri.EscapeDataString(pathContains)}");
        if (status is not null) query.Add($"status={status}");
        if (callerObjectId is not null) query.Add($"callerObjectId={callerObjectId}");
        if (since is not null) query.Add($"since={Uri.EscapeDataString(since.Value.ToString("O"))}");
        var path = query.Count == 0 ? "requests" : "requests?" + string.Join('&', query);
        return (await http.GetFromJsonAsync<List<RequestLogEntry>>(path, AdminJson.Options, cancellationToken))!;
    }

    /// <summary>
    /// Runs Key Vault's expiry check now (at the emulator's clock): each secret version within 30 days of its expiry,
    /// or past it, publishes <c>Microsoft.KeyVault.SecretNearExpiry</c> or <c>SecretExpired</c> once. Answers how many
    /// of each.
    /// </summary>
    public async Task<(int NearExpiry,
        int Expired)> RunSecretExpiryCheckAsync(CancellationToken cancellationToken = default)
    {
        var result = await PostAsync("keyvault/expiryCheck", new JsonObject(), cancellationToken);
        return ((int)result!["nearExpiry"]!, (int)result["expired"]!);
    }

    /// <summary>Event Grid delivery attempts (handshakes included), optionally of one subscription (by name).</summary>
    public async Task<IReadOnlyList<EventDeliveryEntry>> GetEventDeliveriesAsync(string? subscriptionName = null,
        CancellationToken cancellationToken = default) =>
        (await http.GetFromJsonAsync<List<EventDeliveryEntry>>(
            subscriptionName is null ? "eventgrid/deliveries" : $"eventgrid/deliveries?subscription={Uri.EscapeDataString(subscriptionName)}",
            AdminJson.Options, cancellationToken))!;

    /// <summary>
    /// Pauses Event Grid delivery (events published meanwhile are lost, logged as <c>Lost</c>) or resumes it.
    /// </summary>
    public async Task SetEventDeliveryPausedAsync(bool paused, CancellationToken cancellationToken = default) =>
        (await http.PutAsJsonAsync("eventgrid/delivery", new { paused }, AdminJson.Options,
            cancellationToken)).EnsureSuccessStatusCode();

    public async Task ClearEventDeliveriesAsync(CancellationToken cancellationToken = default) =>
        (await http.DeleteAsync("eventgrid/deliveries", cancellationToken)).EnsureSuccessStatusCode();

    public async Task ClearRequestsAsync(CancellationToken cancellationToken = default) =>
        (await http.DeleteAsync("requests", cancellationToken)).EnsureSuccessStatusCode();

    /// <summary>
    /// The managed identity of a resource and the endpoint and header to act as it; null when it has none.
    /// </summary>
    public async Task<ManagedIdentityInfo?> GetIdentityAsync(string resourceId,
        CancellationToken cancellationToken = default) =>
        (await http.GetFromJsonAsync<List<ManagedIdentityInfo>>($"identities?resourceId={Uri.EscapeDataString(resourceId)}", AdminJson.Options, cancellationToken))!
            .FirstOrDefault();

    /// <summary>
    /// Attaches user-assigned identities (resource ids) to a compute host of that name, as App Service attaches them to
    /// a site, and answers the endpoint and header its processes use (the header stays the same across updates).
    /// </summary>
    public async Task<ManagedIdentityHostInfo> PutIdentityHostAsync(string name,
        IEnumerable<string> userAssignedIdentities, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsJsonAsync($"identityHosts/{Uri.EscapeDataString(name)}",
            new { userAssignedIdentities = userAssignedIdentities.ToArray() }, AdminJson.Options, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The emulator refused the identity host '{name}': {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return (await response.Content.ReadFromJsonAsync<ManagedIdentityHostInfo>(AdminJson.Options,
            cancellationToken))!;
    }

    /// <summary>
    /// Deletes a resource out of band, ignoring locks (a vault is soft-deleted; a lock or diagnostic setting id works
    /// too).
    /// </summary>
    public Task DeleteResourceAsync(string resourceId, CancellationToken cancellationToken = default) =>
        PostAsync("damage/delete-resource", new JsonObject { ["resourceId"] = resourceId }, cancellationToken);

    public Task RemoveAccessPolicyAsync(string vaultId, Guid objectId, CancellationToken cancellationToken = default) =>
        PostAsync("damage/remove-access-policy",
            new JsonObject { ["vaultId"] = vaultId, ["objectId"] = objectId.ToString() }, cancellationToken);

    public Task DisableIdentityAsync(string resourceId, CancellationToken cancellationToken = default) =>
        PostAsync("damage/disable-identity", new JsonObject { ["resourceId"] = resourceId }, cancellationToken);

    public Task DeleteIdentityAsync(string resourceId, CancellationToken cancellationToken = default) =>
        PostAsync("damage/delete-identity", new JsonObject { ["resourceId"] = resourceId }, cancellationToken);

    /// <summary>
    /// Issues a token for a configured principal with any audience and lifetime (negative: already expired); with
    /// <paramref name="groups"/>, these group memberships instead of the configured ones (over 200: a group overage);
    /// with <paramref name="objectId"/>, for another principal of the tenant signing in through this principal's
    /// application; with <paramref name="version"/> "1.0", a v1 token; with <paramref name="tenantId"/>, as another
    /// tenant would issue it.
    /// </summary>
    public async Task<string> IssueTokenAsync(string principalName, string audience, TimeSpan? lifetime = null,
        IReadOnlyList<Guid>? groups = null,
        Guid? objectId = null, string? version = null, Guid? tenantId = null,
        CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["principal"] = principalName, ["audience"] = audience };
        if (version is not null)
        {
            body["version"] = version;
        }

        if (tenantId is not null)
        {
            body["tenantId"] = tenantId.Value.ToString();
        }

        if (lifetime is not null)
        {
            body["lifetimeSeconds"] = lifetime.Value.TotalSeconds;
        }

        if (objectId is not null)
        {
            body["objectId"] = objectId.Value.ToString();
        }

        if (groups is not null)
        {
            body["groups"] = new JsonArray(groups.Select(g => (JsonNode?)JsonValue.Create(g.ToString())).ToArray());
        }

        return (string)(await PostAsync("tokens", body, cancellationToken))!["accessToken"]!;
    }

    /// <summary>
    /// Creates a subscription (configured principals get their subscription roles on it); all providers registered
    /// unless listed.
    /// </summary>
    public Task CreateSubscriptionAsync(string subscriptionId, string? displayName = null,
        IReadOnlyList<string>? registeredProviders = null,
        CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["displayName"] = displayName ?? subscriptionId };
        if (registeredProviders is not null)
        {
            body["registeredProviders"] = new JsonArray(registeredProviders.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray());
        }

        return SendAsync(HttpMethod.Put, $"subscriptions/{subscriptionId}", body, cancellationToken);
    }

    /// <summary>Deletes a subscription and everything in it (vaults are soft-deleted).</summary>
    public Task DeleteSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"subscriptions/{subscriptionId}", null, cancellationToken);

    public void Dispose() => http.Dispose();

    private async Task SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method,
            path) { Content = body is null ? null : JsonContent.Create(body, options: AdminJson.Options) };
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Admin call {path} failed with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}",
                null, response.StatusCode);
        }
    }

    private async Task<JsonObject?> PostAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(path, body, AdminJson.Options, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Admin call {path} failed with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}",
                null, response.StatusCode);
        }

        return response.Content.Headers.ContentLength is 0 or null && response.StatusCode == System.Net.HttpStatusCode.NoContent
            ? null
            : await response.Content.ReadFromJsonAsync<JsonObject>(AdminJson.Options, cancellationToken);
    }
}
