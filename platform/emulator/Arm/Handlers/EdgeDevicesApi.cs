using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>
/// Microsoft.DataBoxEdge/dataBoxEdgeDevices (2023-12-01): create, get, list, patch, delete. A system-assigned
/// identity is created with the device and kept for its lifetime; <c>identity.type</c> None disables it and
/// SystemAssigned enables the same principal again.
/// </summary>
internal sealed partial class EdgeDevicesApi(ArmServices services) : TrackedResourceApi(services.Resources, Type)
{
    internal const string Type = "Microsoft.DataBoxEdge/dataBoxEdgeDevices";

    public override IEnumerable<ArmRoute> Routes =>
        ArmRoute.ForTrackedResource(Type, ListAsync, GetAsync, PutAsync, PatchAsync, DeleteAsync);

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,48}[a-zA-Z0-9]$")]
    private static partial Regex NamePattern();

    private async Task<ArmResponse> PutAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var name = request["name"];
        if (!NamePattern().IsMatch(name))
        {
            throw new ArmErrorException(400, "InvalidResourceName",
                $"The resource name '{name}' is invalid. It must be 2-50 letters, digits or hyphens, starting and ending with a letter or digit.");
        }

        var body = await request.ReadBodyAsync(cancellationToken);
        var location = JsonBody.String(body, "location") ?? throw ArmErrors.LocationRequired();
        var sku = JsonBody.Object(body, "sku");
        var identityType = ReadIdentityType(body) ?? "SystemAssigned";
        var existing = await services.Resources.GetAsync(request.Path, cancellationToken);
        var device = existing ?? new JsonObject
        {
            ["id"] = request.Path,
            ["name"] = name,
            ["type"] = Type,
            ["location"] = location,
            ["properties"] = new JsonObject
            {
                ["dataBoxEdgeDeviceStatus"] = "ReadyToSetup",
                ["deviceType"] = "DataBoxEdgeDevice",
                ["modelDescription"] = "Azure Stack Edge Pro",
                ["friendlyName"] = name,
            },
        };
        device["tags"] = JsonBody.Tags(body);
        device["sku"] = new JsonObject { ["name"] = JsonBody.String(sku, "name") ?? "Edge",
            ["tier"] = JsonBody.String(sku, "tier") ?? "Standard" };
        device["kind"] = JsonBody.String(body, "kind") ?? "AzureStackEdge";
        await services.Resources.PutAsync(device, cancellationToken);
        await SetIdentityAsync(device, identityType, cancellationToken);
        var wire = await ToWireAsync(device, cancellationToken);
        return existing is null ? ArmResponse.Created(wire) : ArmResponse.Ok(wire);
    }

    private async Task<ArmResponse> PatchAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var device = await FindAsync(request, cancellationToken);
        var body = await request.ReadBodyAsync(cancellationToken);
        if (body["tags"] is not null)
        {
            device["tags"] = JsonBody.Tags(body);
            await services.Resources.PutAsync(device, cancellationToken);
        }

        if (ReadIdentityType(body) is { } identityType)
        {
            await SetIdentityAsync(device, identityType, cancellationToken);
        }

        return ArmResponse.Ok(await ToWireAsync(device, cancellationToken));
    }

    private static string? ReadIdentityType(JsonObject body)
    {
        var type = JsonBody.String(JsonBody.Object(body, "identity"), "type");
        return type?.ToLowerInvariant() switch
        {
            null => null,
            "systemassigned" => "SystemAssigned",
            "none" => "None",
            _ => throw ArmErrors.BadRequest($"The identity type '{type}' is not supported. The supported values are 'SystemAssigned' and 'None'."),
        };
    }

    private async Task SetIdentityAsync(JsonObject device, string identityType, CancellationToken cancellationToken)
    {
        var id = (string)device["id"]!;
        var identity = await services.Identities.FindByResourceAsync(id, cancellationToken);
        if (identity is null)
        {
            identity = await services.Identities.CreateAsync(id, cancellationToken);
        }

        await services.Identities.SaveAsync(identity with { Enabled = identityType == "SystemAssigned" },
            cancellationToken);
    }

    protected override async Task<JsonObject> ToWireAsync(JsonObject device, CancellationToken cancellationToken)
    {
        var wire = device.DeepClone().AsObject();
        wire.Remove(EdgeDeviceExtendedInfoApi.ExtendedInfo);
        var identity = await services.Identities.FindByResourceAsync((string)device["id"]!, cancellationToken);
        wire["identity"] = identity is { Enabled: true }
            ? new JsonObject { ["type"] = "SystemAssigned", ["principalId"] = identity.PrincipalId.ToString(),
                ["tenantId"] = identity.TenantId.ToString() }
            : new JsonObject { ["type"] = "None" };
        return wire;
    }
}
