using Microsoft.Extensions.Configuration;

namespace EdgeKv.FunctionsHost;

/// <summary>
/// The app setting the Functions host reads to turn one function off, <c>AzureWebJobs.{Name}.Disabled</c> ("true" or
/// "1"): a disabled HTTP function is not routed (404) and a disabled timer never fires. Operators set it in Azure's app
/// settings; the local host honours the same name so a setting proven here does the same there.
/// </summary>
public static class FunctionDisabledSetting
{
    public static string Key(string functionName) => $"AzureWebJobs.{functionName}.Disabled";

    public static bool IsDisabled(IConfiguration configuration, string functionName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? value = configuration[Key(functionName)];
        return value is not null && (value.Trim() == "1" || bool.TryParse(value, out bool disabled) && disabled);
    }
}
