using System.Text;
using Nephele.Core.Models;
using Nephele.Core.Protocols.EventStream;

namespace Nephele.Core.Protocols.Rest;

/// <summary>
/// The HTTP bindings shared by rest-json and rest-xml: which operation a request is, members bound to
/// URI labels, query parameters, headers and the status code, and whether the body is one payload
/// member or the structure's remaining members. The body itself is left to the protocol's codec.
/// </summary>
public static class RestBindings
{
    /// <summary>The operation whose method and requestUri template fit the request best, or null.</summary>
    public static OperationModel? ResolveOperation(ServiceModel model, AwsRequest request) => RestRouter.Resolve(model, request);

    /// <summary>
    /// Reads the operation's input from labels, query, headers and body. A streaming blob payload is
    /// the request's body stream, unbuffered; other bodies are buffered and given to <paramref name="readBody"/>.
    /// </summary>
    public static async ValueTask<Dictionary<string, object?>> ReadAsync(ServiceModel model, OperationModel operation, AwsRequest request,
        RestBodyReader readBody, CancellationToken ct = default)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (operation.Input is not { } input) return values;
        var b = RestShapeBindings.For(input);

        if (b.Uri.Length > 0 && RestRouter.MatchLabels(operation, request) is { } labels)
            foreach (var m in b.Uri)
                if (labels.TryGetValue(m.WireName, out var text))
                    values[m.Name] = HttpScalarText.Parse(m.Shape, text, m.TimestampFormat, $"URI label {m.WireName}");

        foreach (var m in b.Query) ReadQuery(m, request.Query, values);
        ReadHeaders(input, request.Headers, values);

        if (b.Payload is { } payload)
        {
            if (payload.Streaming || payload.Shape.IsEventStream)
            {
                values[payload.Name] = request.Body;
                return values;
            }
            var body = await request.ReadBodyAsync(ct).ConfigureAwait(false);
            if (body.Length == 0) return values;
            var value = RawPayloadType(payload) switch
            {
                ShapeType.Blob => body,
                ShapeType.String => Encoding.UTF8.GetString(body),
                _ => readBody(payload.Shape, payload, body),
            };
            // Clients send {} for an unset structure payload, so an empty structure means absent.
            if (value is not null && value is not Dictionary<string, object?> { Count: 0 }) values[payload.Name] = value;
        }
        else if (b.HasBodyMembers)
        {
            var body = await request.ReadBodyAsync(ct).ConfigureAwait(false);
            if (body.Length > 0 && readBody(input, null, body) is Dictionary<string, object?> bodyValues)
                foreach (var (k, v) in bodyValues) values[k] = v;
        }
        return values;
    }

    /// <summary>Reads the members of <paramref name="shape"/> bound to headers (single and prefixed) into <paramref name="values"/>.</summary>
    public static void ReadHeaders(Shape shape, HeaderMap headers, Dictionary<string, object?> values)
    {
        var b = RestShapeBindings.For(shape);
        foreach (var m in b.Header)
            if (headers.Get(m.WireName) is { } text && ReadHeader(m, text) is { } value)
                values[m.Name] = value;
        foreach (var m in b.Headers)
        {
            var prefix = m.LocationName ?? "";
            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (name, _) in headers)
                if (name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    map[name[prefix.Length..]] = headers.Get(name);
            // Always present, possibly empty: there is no way to send "no map" apart from "empty map".
            values[m.Name] = map;
        }
    }

    /// <summary>One header's value for a header-bound member, or null when it carries nothing.</summary>
    public static object? ReadHeader(Member m, string text)
    {
        var where = $"header {m.WireName}";
        var shape = m.Shape;
        if (shape.Type == ShapeType.List)
        {
            var item = shape.Member!;
            var format = item.TimestampFormat ?? m.TimestampFormat ?? TimestampText.HttpDate;
            var list = new List<object?>();
            foreach (var part in HttpScalarText.SplitHeaderList(text, item.Shape.Type == ShapeType.Timestamp && format == TimestampText.HttpDate))
                list.Add(HttpScalarText.Parse(item.Shape, part, format, where));
            return list;
        }
        if (shape.Type == ShapeType.String)
        {
            if (!m.JsonValue) return text;
            // A JSON value in a header travels base64-encoded.
            try { return Encoding.UTF8.GetString(Convert.FromBase64String(text)); }
            catch (FormatException) { throw new AwsException("SerializationException", $"Value for {where} is not base64-encoded JSON.", 400); }
        }
        text = text.Trim();
        return text.Length == 0 ? null : HttpScalarText.Parse(shape, text, m.TimestampFormat ?? TimestampText.HttpDate, where);
    }

    private static void ReadQuery(Member m, QueryMap query, Dictionary<string, object?> values)
    {
        var shape = m.Shape;
        var where = $"query parameter {m.WireName}";
        switch (shape.Type)
        {
            case ShapeType.Map:
                // Servers see every query parameter in the map, bound ones included (smithy httpQueryParams).
                if (query.Count == 0) return;
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                var valueShape = shape.Value!.Shape;
                foreach (var (k, v) in query)
                {
                    if (valueShape.Type == ShapeType.List)
                    {
                        if (map.GetValueOrDefault(k) is not List<object?> list) map[k] = list = [];
                        list.Add(v);
                    }
                    else map.TryAdd(k, v);
                }
                values[m.Name] = map;
                return;
            case ShapeType.List:
                var all = query.GetAll(m.WireName);
                if (all.Count == 0) return;
                var item = shape.Member!;
                var items = new List<object?>(all.Count);
                foreach (var text in all) items.Add(HttpScalarText.Parse(item.Shape, text, item.TimestampFormat ?? m.TimestampFormat, where));
                values[m.Name] = items;
                return;
            default:
                if (query.Get(m.WireName) is { } single) values[m.Name] = HttpScalarText.Parse(shape, single, m.TimestampFormat, where);
                return;
        }
    }

    /// <summary>
    /// Renders an operation's output: status (the statusCode member, else the operation's responseCode,
    /// else 200), header-bound members, and the body — a raw blob/string/stream payload itself, or
    /// structured content from <paramref name="writeBody"/> with <paramref name="contentType"/>, or an event
    /// stream whose events <paramref name="events"/> encodes.
    /// </summary>
    public static void Write(OperationModel operation, Dictionary<string, object?> output, AwsResponse response,
        RestBodyWriter writeBody, string contentType, EventStreamMarshaller events)
    {
        response.StatusCode = operation.ResponseCode ?? 200;
        if (operation.Output is not { } shape) return;
        var b = RestShapeBindings.For(shape);
        WriteHeaders(shape, output, response.Headers);
        foreach (var m in b.StatusCode)
            if (output.GetValueOrDefault(m.Name) is { } status) response.StatusCode = (int)ScalarValues.AsLong(status, m.Name);
        // HTTP forbids a body on 204 and 304 (e.g. Lambda's DeleteFunction sets 204 through its StatusCode member).
        if (response.StatusCode is 204 or 304) return;

        if (b.Payload is { } payload)
        {
            // Other output members still travel as headers: rest protocols send no initial-response message.
            if (payload.Shape.IsEventStream)
            {
                EventStreamResponse.Write(response, events, payload, output.GetValueOrDefault(payload.Name));
                return;
            }
            if (output.GetValueOrDefault(payload.Name) is not { } value) return;
            if (value is Stream stream)
            {
                response.BodyStream = stream;
                SetDefaultContentType(response, "application/octet-stream");
                return;
            }
            switch (RawPayloadType(payload))
            {
                case ShapeType.Blob:
                    response.Body = ScalarValues.AsBytes(value, payload.Name);
                    SetDefaultContentType(response, "application/octet-stream");
                    return;
                case ShapeType.String:
                    response.Body = Encoding.UTF8.GetBytes(ScalarValues.AsString(value, payload.Name));
                    SetDefaultContentType(response, "text/plain");
                    return;
                default:
                    SetBody(response, writeBody(payload.Shape, payload, value), contentType);
                    return;
            }
        }
        else
            SetBody(response, writeBody(shape, null, output), contentType);
    }

    /// <summary>Writes the members of <paramref name="shape"/> bound to headers (also used for modeled errors).</summary>
    public static void WriteHeaders(Shape shape, Dictionary<string, object?> values, HeaderMap headers)
    {
        var b = RestShapeBindings.For(shape);
        foreach (var m in b.Header)
            if (values.GetValueOrDefault(m.Name) is { } value && FormatHeader(m, value) is { } text)
                headers.Set(m.WireName, text);
        foreach (var m in b.Headers)
        {
            if (values.GetValueOrDefault(m.Name) is not { } map) continue;
            var prefix = m.LocationName ?? "";
            foreach (var (key, v) in ScalarValues.AsMapEntries(map, m.Name))
                if (v is not null) headers.Set(prefix + key, HttpScalarText.Format(m.Shape.Value!.Shape, v, TimestampText.HttpDate, m.Name));
        }
    }

    private static string? FormatHeader(Member m, object value)
    {
        if (m.Shape.Type == ShapeType.List)
        {
            var item = m.Shape.Member!;
            var format = item.TimestampFormat ?? m.TimestampFormat ?? TimestampText.HttpDate;
            var parts = new List<string>();
            foreach (var v in (System.Collections.IEnumerable)value)
            {
                if (v is null) continue;
                var text = HttpScalarText.Format(item.Shape, v, format, m.Name);
                parts.Add(item.Shape.Type == ShapeType.String ? HttpScalarText.QuoteListItem(text) : text);
            }
            return parts.Count == 0 ? null : string.Join(", ", parts);
        }
        if (m.JsonValue && m.Shape.Type == ShapeType.String)
            return Convert.ToBase64String(Encoding.UTF8.GetBytes(ScalarValues.AsString(value, m.Name)));
        return HttpScalarText.Format(m.Shape, value, m.TimestampFormat ?? TimestampText.HttpDate, m.Name);
    }

    /// <summary>Blob and string payloads are the body itself; anything else is the codec's structured content.</summary>
    private static ShapeType? RawPayloadType(Member payload)
        => !payload.Shape.IsDocument && payload.Shape.Type is ShapeType.Blob or ShapeType.String ? payload.Shape.Type : null;

    private static void SetBody(AwsResponse response, byte[]? body, string contentType)
    {
        if (body is not { Length: > 0 }) return;
        response.Body = body;
        SetDefaultContentType(response, contentType);
    }

    // A header-bound member (e.g. ContentType) may already have set it.
    private static void SetDefaultContentType(AwsResponse response, string contentType)
    {
        if (!response.Headers.Contains("Content-Type")) response.ContentType = contentType;
    }
}
