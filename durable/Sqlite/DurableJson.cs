using System.Globalization;
using System.Text;
using DurableTask.Core.Serializing;
using Newtonsoft.Json;

namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// The stored form of the framework's objects (TaskMessage, HistoryEvent, OrchestrationState): JSON with type names,
/// as the framework's own JsonDataConverter writes them (Newtonsoft, TypeNameHandling.Objects, dates kept as written).
/// Whole objects rather than columns per field (as durabletask-mssql has) because SQLite has no stored procedures to
/// rebuild them, the framework's types round-trip through this form already (its Azure Storage provider does the
/// same), and new event fields need no schema change. Reading binds only the framework's own types and generic
/// collections of them, so a row cannot name an arbitrary .NET type.
/// </summary>
internal static class DurableJson
{
    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        TypeNameHandling = TypeNameHandling.Objects,
        DateParseHandling = DateParseHandling.None,
        SerializationBinder = new DurableTypesBinder(),
        NullValueHandling = NullValueHandling.Ignore,
    });

    public static string Serialize(object value)
    {
        var text = new StringBuilder(256);
        using (var writer = new JsonTextWriter(new StringWriter(text, CultureInfo.InvariantCulture)))
        {
            Serializer.Serialize(writer, value);
        }

        return text.ToString();
    }

    public static T Deserialize<T>(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json));
        return Serializer.Deserialize<T>(reader) ?? throw new JsonSerializationException($"A stored {typeof(T).Name} was empty.");
    }

    /// <summary>The framework's binder (it maps the type names of older framework packages), limited to the framework's types.</summary>
    private sealed class DurableTypesBinder : PackageUpgradeSerializationBinder
    {
        private static readonly System.Reflection.Assembly Framework = typeof(DurableTask.Core.TaskMessage).Assembly;

        public override Type BindToType(string? assemblyName, string typeName)
        {
            Type type = base.BindToType(assemblyName, typeName);
            return IsAllowed(type) ? type : throw new JsonSerializationException($"Stored type '{typeName}' is not a Durable Task Framework type.");
        }

        private static bool IsAllowed(Type type)
        {
            if (type.IsArray) return IsAllowed(type.GetElementType()!);
            if (type.Assembly == Framework || type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(DateTime)) return true;
            return type.IsGenericType && type.Namespace == "System.Collections.Generic" && type.GetGenericArguments().All(IsAllowed);
        }
    }
}
