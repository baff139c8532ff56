namespace EdgeKv.Emulator.Arm;

/// <summary>A thin route handler: reads the request, changes state, answers the wire shape.</summary>
internal delegate Task<ArmResponse> ArmHandler(ArmRequest request, CancellationToken cancellationToken);
