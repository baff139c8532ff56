using System.Text.Json.Serialization;

namespace EdgeKv.Functions.Http;

/// <summary>Azure's error envelope, <c>{"error":{"code","message"}}</c>, used for every error EdgeKv answers.</summary>
public sealed record AzureError([property: JsonPropertyName("error")] AzureErrorDetail Error)
{
    public static IResult Result(int status, string code, string message)
        => Results.Json(new AzureError(new AzureErrorDetail(code, message)), statusCode: status);

    public static IResult BadRequest(string code, string message) => Result(StatusCodes.Status400BadRequest, code,
        message);

    public static IResult NotFound(string code, string message) => Result(StatusCodes.Status404NotFound, code, message);

    public static IResult Conflict(string code, string message) => Result(StatusCodes.Status409Conflict, code, message);

    public static IResult Gone(string code, string message) => Result(StatusCodes.Status410Gone, code, message);
}

public sealed record AzureErrorDetail(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);
