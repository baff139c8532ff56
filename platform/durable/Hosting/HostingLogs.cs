using Microsoft.Extensions.Logging;

namespace EdgeKv.Durable.Hosting;

/// <summary>The task hub set-up's logs.</summary>
internal static partial class HostingLogs
{
    public const int SharedHubWorkerId = 3100;

    [LoggerMessage(SharedHubWorkerId, LogLevel.Information,
        "Task hub {TaskHub} on Azure Storage: worker id {WorkerId} (from {Source}); partition lease {Lease}, renewed every {Renewal}; control queue visibility {ControlVisibility}, work item visibility {WorkItemVisibility}.")]
    public static partial void SharedHubJoined(ILogger logger, string taskHub, string workerId, string source,
        TimeSpan lease, TimeSpan renewal, TimeSpan controlVisibility, TimeSpan workItemVisibility);
}
