namespace Nephele.Core.State;

/// <summary>
/// The state store cannot be used (unwritable or invalid data directory, newer schema, corrupt database).
/// The message is one line the CLI prints as is.
/// </summary>
public sealed class StateStoreException : Exception
{
    public StateStoreException(string message) : base(message) { }
    public StateStoreException(string message, Exception inner) : base(message, inner) { }
}
