using System.Runtime.CompilerServices;
using Nephele.Core.Models;

namespace Nephele.Core.Protocols.Rest;

/// <summary>An input or output structure's members grouped by where they travel, computed once per shape.</summary>
internal sealed class RestShapeBindings
{
    private static readonly ConditionalWeakTable<Shape, RestShapeBindings> Cache = new();

    private RestShapeBindings(Shape shape)
    {
        Uri = Where(shape, MemberLocation.Uri);
        Query = Where(shape, MemberLocation.QueryString);
        Header = Where(shape, MemberLocation.Header);
        Headers = Where(shape, MemberLocation.Headers);
        StatusCode = Where(shape, MemberLocation.StatusCode);
        Payload = shape.Payload is null ? null : shape.FindMember(shape.Payload);
        HasBodyMembers = Payload is null && shape.Members.Any(m => m.Location == MemberLocation.Body);
    }

    public static RestShapeBindings For(Shape shape) => Cache.GetValue(shape, s => new RestShapeBindings(s));

    public Member[] Uri { get; }
    public Member[] Query { get; }
    public Member[] Header { get; }
    public Member[] Headers { get; }
    public Member[] StatusCode { get; }
    /// <summary>The member bound to the whole body, if the shape names one.</summary>
    public Member? Payload { get; }
    /// <summary>Without a payload member: whether any member travels in the body.</summary>
    public bool HasBodyMembers { get; }

    private static Member[] Where(Shape shape, MemberLocation location) => shape.Members.Where(m => m.Location == location).ToArray();
}
