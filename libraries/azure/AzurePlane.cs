namespace EdgeKv.Azure;

/// <summary>
/// Which side of Azure a request goes to: Resource Manager (management) or a service's own endpoint (a vault, a storage
/// account).
/// </summary>
public enum AzurePlane
{
    ResourceManager,
    Data,
}
