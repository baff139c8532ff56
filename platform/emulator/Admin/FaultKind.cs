namespace EdgeKv.Emulator.Admin;

/// <summary>What an injected fault does to a request.</summary>
public enum FaultKind
{
    /// <summary>429 with <c>Retry-After</c>.</summary>
    Throttle,

    /// <summary>500 InternalServerError.</summary>
    InternalError,

    /// <summary>503 ServiceUnavailable with <c>Retry-After</c>.</summary>
    Unavailable,

    /// <summary>Adds latency, then serves the request.</summary>
    Latency,

    /// <summary>Drops the connection without an answer.</summary>
    DropConnection,
}
