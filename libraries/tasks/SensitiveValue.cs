using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeKv.Tasks;

/// <summary>
/// Holds a secret in memory and refuses to be serialized, so it can never reach orchestration inputs,
/// outputs, history, custom status or a log. Pass a reference (a vault and secret name) between steps
/// and fetch the value inside the activity that needs it.
/// </summary>
[JsonConverter(typeof(SensitiveValueJsonConverter))]
public sealed class SensitiveValue(string value)
{
    /// <summary>The secret itself; read it only where it is used.</summary>
    public string Reveal() => value;

    public override string ToString() => "***";

    private sealed class SensitiveValueJsonConverter : JsonConverter<SensitiveValue>
    {
        public override SensitiveValue Read(ref Utf8JsonReader reader, Type typeToConvert,
            JsonSerializerOptions options)
            => throw new SensitivePayloadException();

        public override void Write(Utf8JsonWriter writer, SensitiveValue value, JsonSerializerOptions options)
            => throw new SensitivePayloadException();
    }
}

/// <summary>A secret value was about to be written into durable state.</summary>
public sealed class SensitivePayloadException : InvalidOperationException
{
    public SensitivePayloadException()
        : base("A SensitiveValue cannot be serialized into orchestration state; pass a reference to where the secret is stored instead.")
    {
    }

    public SensitivePayloadException(string message)
        : base(message)
    {
    }

    public SensitivePayloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
