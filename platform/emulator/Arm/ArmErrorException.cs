namespace EdgeKv.Emulator.Arm;

/// <summary>
/// An Azure error answer: status, error code and message, written as <c>{"error":{"code","message"}}</c>
/// (Key Vault adds <c>innererror.code</c> when <see cref="InnerCode"/> is set).
/// </summary>
internal sealed class ArmErrorException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string? InnerCode { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
