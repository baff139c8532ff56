using System.Globalization;
using System.Text;
using DurableTask.Core.Serializing;
using Newtonsoft.Json;

namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// The stored form of the framework's objects (TaskMessage, HistoryEvent, OrchestrationState): JSON with type names,
/// as the framework's own JsonDataConverter reads them (Newtonsoft, dates kept as written). A type name is written only
/// where the declared type does not say it (a TaskMessage's event, a history row's event type, an interface-typed
/// dictionary): writing one on every object (TypeNameHandling.Objects, as rows were first written, and still read) cost
/// a fifth of a step's allocations in Newtonsoft's type-name formatting, which caches nothing.
/// Whole objects rather than columns per field (as durabletask-mssql has) because SQLite has no stored procedures to
/// rebuild them, the framework's types round-trip through this form already (its Azure Storage provider does the
/// same), and new event fields need no schema change. Reading binds only the framework's own types and generic
/// collections of them, so a row cannot name an arbitrary .NET type.
/// </summary>
internal static class DurableJson
{
    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        TypeNameHandling = TypeNameHandling.Auto,
        DateParseHandling = DateParseHandling.None,
        SerializationBinder = new DurableTypesBinder(),
        NullValueHandling = NullValueHandling.Ignore,
    });

    /// <summary>
    /// Writes <paramref name="value"/> as its declared type <typeparamref name="T"/>: a reader must ask for the same
    /// type (an event stored as <see cref="DurableTask.Core.History.HistoryEvent"/> carries its concrete type's name).
    /// </summary>
    public static string Serialize<T>(T value)
        where T : class
    {
        var text = new StringBuilder(256);
        using (var writer = new JsonTextWriter(new StringWriter(text,
            CultureInfo.InvariantCulture)) { ArrayPool = SharedCharPool.Instance })
        {
            Serializer.Serialize(writer, value, typeof(T));
        }

        return text.ToString();
    }

    public static T Deserialize<T>(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json)) { ArrayPool = SharedCharPool.Instance };
        return Serializer.Deserialize<T>(reader) ?? throw new JsonSerializationException($"A stored {typeof(T).Name} was empty.");
    }

    /// <summary>Newtonsoft's reader and writer buffers from the shared pool instead of new arrays per object.</summary>
    private sealed class SharedCharPool : IArrayPool<char>
    {
        public static SharedCharPool Instance { get; } = new();

        public char[] Rent(int minimumLength) => System.Buffers.ArrayPool<char>.Shared.Rent(minimumLength);

        public void Return(char[]? array)
        {
            if (array is not null) System.Buffers.ArrayPool<char>.Shared.Return(array);
        }
    }

    /// <summary>
    /// The framework's binder (it maps the type names of older framework packages), limited to the framework's types.
    /// </summary>
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
