using Nephele.Core.Models;

namespace Nephele.Core.Protocols.Rest;

/// <summary>
/// The body codec of a rest protocol (JSON or XML) reading structured content. <paramref name="payload"/>
/// is null for the operation's input structure — read only its body-bound members — or the member
/// bound to the whole body (a structure, union or document). Returns the structure's values
/// (or a JsonNode for a document); malformed bodies throw the protocol's AwsException.
/// </summary>
public delegate object? RestBodyReader(Shape shape, Member? payload, byte[] body);

/// <summary>
/// The body codec writing structured content: <paramref name="payload"/> null means the output
/// structure's body-bound members (<paramref name="value"/> is then the whole output dictionary),
/// else the value of the payload member. Null or empty means no body.
/// </summary>
public delegate byte[]? RestBodyWriter(Shape shape, Member? payload, object value);
