using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>
/// <c>POST .../dataBoxEdgeDevices/{name}/getExtendedInformation</c> and <c>.../updateExtendedInformation</c>: the
/// device's client secret store (its vault), channel integrity key and vault sync status.
/// </summary>
internal sealed class EdgeDeviceExtendedInfoApi(ArmServices services) : IArmRouteSource
{
    private const string Type = EdgeDevicesApi.Type;

    internal const string ExtendedInfo = "emulatorExtendedInfo";
    private static readonly string[] SyncStatuses =
        ["KeyVaultNotConfigured", "KeyVaultNotSynced", "KeyVaultSyncFailed", "KeyVaultSyncPending", "KeyVaultSynced",
            "KeyVaultSyncing"];
    private static readonly string[] PatchFields = ["clientSecretStoreId", "clientSecretStoreUrl",
        "channelIntegrityKeyName", "channelIntegrityKeyVersion"];

    public IEnumerable<ArmRoute> Routes =>
    [
        ArmRoute.Create("POST", ArmRoute.TrackedResource(Type) + "/getExtendedInformation", Type,
            "Microsoft.DataBoxEdge/dataBoxEdgeDevices/getExtendedInformation/action",
            LockCheck.None, GetExtendedInformationAsync),
        ArmRoute.Create("POST", ArmRoute.TrackedResource(Type) + "/updateExtendedInformation", Type,
            "Microsoft.DataBoxEdge/dataBoxEdgeDevices/updateExtendedInformation/action",
            LockCheck.Write, UpdateExtendedInformationAsync),
    ];

    private async Task<ArmResponse> GetExtendedInformationAsync(ArmRequest request,
        CancellationToken cancellationToken) =>
        ArmResponse.Ok(ExtendedInfoWire(await FindAsync(request, cancellationToken)));

    /// <summary>
    /// Stores the vault details of the device (client secret store, channel integrity key) and the sync status.
    /// </summary>
    private async Task<ArmResponse> UpdateExtendedInformationAsync(ArmRequest request,
        CancellationToken cancellationToken)
    {
        var device = await FindAsync(request, cancellationToken);
        var body = await request.ReadBodyAsync(cancellationToken);
        var info = device[ExtendedInfo] as JsonObject ?? new JsonObject { ["keyVaultSyncStatus"] = "KeyVaultNotConfigured" };
        foreach (var field in PatchFields)
        {
            if (JsonBody.String(body, field) is { } value)
            {
                info[field] = value;
            }
        }

        if (JsonBody.String(body, "syncStatus") is { } status)
        {
            info["keyVaultSyncStatus"] = SyncStatuses.FirstOrDefault(s => s.Equals(status,
                StringComparison.OrdinalIgnoreCase))
                ?? throw ArmErrors.BadRequest($"The sync status '{status}' is invalid.");
        }
        else if (info["clientSecretStoreId"] is not null && (string?)info["keyVaultSyncStatus"] == "KeyVaultNotConfigured")
        {
            info["keyVaultSyncStatus"] = "KeyVaultSynced";
        }

        device[ExtendedInfo] = info.DeepClone();
        await services.Resources.PutAsync(device, cancellationToken);
        return ArmResponse.Ok(ExtendedInfoWire(device));
    }

    private static JsonObject ExtendedInfoWire(JsonObject device)
    {
        var properties = device[ExtendedInfo]?.DeepClone().AsObject() ?? new JsonObject { ["keyVaultSyncStatus"] = "KeyVaultNotConfigured" };
        properties["resourceKey"] = BitConverter.ToUInt64(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(((string)device["id"]!).ToUpperInvariant()))).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["id"] = (string?)device["id"],
            ["name"] = (string?)device["name"],
            ["type"] = Type,
            ["properties"] = properties,
        };
    }

    private async Task<JsonObject> FindAsync(ArmRequest request, CancellationToken cancellationToken) =>
        await services.Resources.GetAsync($"/subscriptions/{request["sub"]}/resourceGroups/{request["rg"]}/providers/{Type}/{request["name"]}", cancellationToken)
            ?? throw ArmErrors.ResourceNotFound($"{Type}/{request["name"]}", request["rg"]);
}
