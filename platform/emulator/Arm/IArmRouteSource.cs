namespace EdgeKv.Emulator.Arm;

/// <summary>A group of thin route handlers for one resource type.</summary>
internal interface IArmRouteSource
{
    IEnumerable<ArmRoute> Routes { get; }
}
