namespace EdgeKv.Emulator.Arm;

/// <summary>Which management lock a route must respect before running.</summary>
internal enum LockCheck
{
    None,
    Write,
    Delete,
}
