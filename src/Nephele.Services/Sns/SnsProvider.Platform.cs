using System.Text.Json;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sns;

/// <summary>
/// Mobile push: platform applications and their endpoints are stored and listed; publishing to an endpoint
/// records the message (GET /_aws/sns/platform-endpoint-messages) instead of calling APNs, FCM and the like.
/// </summary>
public sealed partial class SnsProvider
{
    private static readonly HashSet<string> Platforms = new(StringComparer.Ordinal)
    {
        "ADM", "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "BAIDU", "GCM", "MACOS", "MACOS_SANDBOX", "MPNS", "WNS",
    };

    private void RegisterPlatform(OperationRegistry operations) => operations
        .On("CreatePlatformApplication", CreatePlatformApplication)
        .On("GetPlatformApplicationAttributes", GetPlatformApplicationAttributes)
        .On("SetPlatformApplicationAttributes", SetPlatformApplicationAttributes)
        .On("DeletePlatformApplication", DeletePlatformApplication)
        .On("ListPlatformApplications", ListPlatformApplications)
        .On("CreatePlatformEndpoint", CreatePlatformEndpoint)
        .On("GetEndpointAttributes", GetEndpointAttributes)
        .On("SetEndpointAttributes", SetEndpointAttributes)
        .On("DeleteEndpoint", DeleteEndpoint)
        .On("ListEndpointsByPlatformApplication", ListEndpointsByPlatformApplication);

    private static string ApplicationArn(Scope scope, string key) => $"arn:aws:sns:{scope.Region}:{scope.AccountId}:app/{key}";

    private static string EndpointArn(Scope scope, string key) => $"arn:aws:sns:{scope.Region}:{scope.AccountId}:endpoint/{key}";

    /// <summary>arn:aws:sns:region:account:{kind}/platform/name[/id] to its scope and table key.</summary>
    private static bool TryParseResourceArn(string? arn, string kind, int segments, out Scope scope, out string key)
    {
        scope = default;
        key = "";
        var parts = (arn ?? "").Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "sns" || !parts[5].StartsWith(kind + "/", StringComparison.Ordinal)) return false;
        key = parts[5][(kind.Length + 1)..];
        if (key.Split('/').Length != segments) return false;
        scope = new Scope(parts[4], parts[3]);
        return true;
    }

    private static bool TryParseEndpointArn(string? arn, out Scope scope, out string key) => TryParseResourceArn(arn, "endpoint", 3, out scope, out key);

    private (Scope Scope, string Key, PlatformApplicationRecord App) ResolveApplication(string? arn)
    {
        if (!TryParseResourceArn(arn, "app", 2, out var scope, out var key)) throw SnsErrors.InvalidParameter("Invalid parameter: PlatformApplicationArn");
        var app = _applications.Get(scope, key, SnsJsonContext.Default.PlatformApplicationRecord) ?? throw SnsErrors.NotFound("PlatformApplication does not exist");
        return (scope, key, app);
    }

    private (Scope Scope, string Key, PlatformEndpointRecord Endpoint) ResolveEndpoint(string? arn)
    {
        if (!TryParseEndpointArn(arn, out var scope, out var key)) throw SnsErrors.InvalidParameter("Invalid parameter: EndpointArn");
        var endpoint = _endpoints.Get(scope, key, SnsJsonContext.Default.PlatformEndpointRecord) ?? throw SnsErrors.NotFound("Endpoint does not exist");
        return (scope, key, endpoint);
    }

    private Dictionary<string, object?> CreatePlatformApplication(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.GetString("Name") ?? "";
        var platform = input.GetString("Platform") ?? "";
        if (name.Length is 0 or > 256 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw SnsErrors.InvalidParameter("Invalid parameter: Invalid platform application name");
        if (!Platforms.Contains(platform)) throw SnsErrors.InvalidParameter("Invalid parameter: Platform");
        var key = $"{platform}/{name}";
        _applications.Put(ctx.Scope, key, new PlatformApplicationRecord { Name = name, Platform = platform, Attributes = input.GetStringMap("Attributes") },
            SnsJsonContext.Default.PlatformApplicationRecord);
        return new() { ["PlatformApplicationArn"] = ApplicationArn(ctx.Scope, key) };
    }

    private Dictionary<string, object?> GetPlatformApplicationAttributes(RequestContext ctx, Dictionary<string, object?> input)
    {
        var (_, _, app) = ResolveApplication(input.GetString("PlatformApplicationArn"));
        // Credentials are write-only in AWS.
        return new() { ["Attributes"] = app.Attributes.Where(a => a.Key is not ("PlatformCredential" or "PlatformPrincipal")).ToDictionary(a => a.Key, a => (object?)a.Value) };
    }

    private Dictionary<string, object?> SetPlatformApplicationAttributes(RequestContext ctx, Dictionary<string, object?> input)
    {
        _state.Transaction(() =>
        {
            var (scope, key, app) = ResolveApplication(input.GetString("PlatformApplicationArn"));
            foreach (var (name, value) in input.GetStringMap("Attributes")) app.Attributes[name] = value;
            _applications.Put(scope, key, app, SnsJsonContext.Default.PlatformApplicationRecord);
            return 0;
        });
        return Empty;
    }

    private Dictionary<string, object?> DeletePlatformApplication(RequestContext ctx, Dictionary<string, object?> input)
    {
        if (!TryParseResourceArn(input.GetString("PlatformApplicationArn"), "app", 2, out var scope, out var key))
            throw SnsErrors.InvalidParameter("Invalid parameter: PlatformApplicationArn");
        _state.Transaction(() =>
        {
            foreach (var row in _endpoints.List(scope, key + "/")) _endpoints.Delete(scope, row.Key);
            _applications.Delete(scope, key);
            return 0;
        });
        return Empty;
    }

    private Dictionary<string, object?> ListPlatformApplications(RequestContext ctx, Dictionary<string, object?> input)
    {
        var after = PageToken.Resume(input.GetString("NextToken"), () => SnsErrors.InvalidParameter("Invalid parameter: NextToken"));
        var rows = _applications.List(ctx.Scope, startAfter: after, limit: TopicsPageSize + 1);
        var page = rows.Take(TopicsPageSize).ToList();
        var result = new Dictionary<string, object?>
        {
            ["PlatformApplications"] = page.Select(r =>
            {
                var app = JsonSerializer.Deserialize(r.Value, SnsJsonContext.Default.PlatformApplicationRecord)!;
                return (object?)new Dictionary<string, object?>
                {
                    ["PlatformApplicationArn"] = ApplicationArn(ctx.Scope, r.Key),
                    ["Attributes"] = app.Attributes.Where(a => a.Key is not ("PlatformCredential" or "PlatformPrincipal")).ToDictionary(a => a.Key, a => (object?)a.Value),
                };
            }).ToList(),
        };
        if (rows.Count > TopicsPageSize) result["NextToken"] = PageToken.After(page[^1].Key);
        return result;
    }

    private Dictionary<string, object?> CreatePlatformEndpoint(RequestContext ctx, Dictionary<string, object?> input)
    {
        var token = input.GetString("Token") ?? "";
        if (token.Length == 0) throw SnsErrors.InvalidParameter("Invalid parameter: Token Reason: cannot be empty");
        var attributes = input.GetStringMap("Attributes");
        if (input.GetString("CustomUserData") is { } userData) attributes["CustomUserData"] = userData;
        attributes["Token"] = token;
        attributes.TryAdd("Enabled", "true");
        var arn = _state.Transaction(() =>
        {
            var (scope, appKey, _) = ResolveApplication(input.GetString("PlatformApplicationArn"));
            // The same token again answers the same endpoint, unless its attributes differ.
            foreach (var row in _endpoints.List(scope, appKey + "/"))
            {
                var existing = JsonSerializer.Deserialize(row.Value, SnsJsonContext.Default.PlatformEndpointRecord)!;
                if (existing.Attributes.GetValueOrDefault("Token") != token) continue;
                var existingArn = EndpointArn(scope, row.Key);
                if (attributes.Any(a => existing.Attributes.GetValueOrDefault(a.Key) != a.Value))
                    throw SnsErrors.InvalidParameter($"Invalid parameter: Token Reason: Endpoint {existingArn} already exists with the same Token, but different attributes.");
                return existingArn;
            }
            var id = Guid.NewGuid().ToString();
            var key = $"{appKey}/{id}";
            _endpoints.Put(scope, key, new PlatformEndpointRecord { Id = id, ApplicationArn = ApplicationArn(scope, appKey), Attributes = attributes },
                SnsJsonContext.Default.PlatformEndpointRecord);
            return EndpointArn(scope, key);
        });
        return new() { ["EndpointArn"] = arn };
    }

    private Dictionary<string, object?> GetEndpointAttributes(RequestContext ctx, Dictionary<string, object?> input)
    {
        var (_, _, endpoint) = ResolveEndpoint(input.GetString("EndpointArn"));
        return new() { ["Attributes"] = endpoint.Attributes.ToDictionary(a => a.Key, a => (object?)a.Value) };
    }

    private Dictionary<string, object?> SetEndpointAttributes(RequestContext ctx, Dictionary<string, object?> input)
    {
        _state.Transaction(() =>
        {
            var (scope, key, endpoint) = ResolveEndpoint(input.GetString("EndpointArn"));
            foreach (var (name, value) in input.GetStringMap("Attributes"))
            {
                if (name is not ("CustomUserData" or "Enabled" or "Token"))
                    throw SnsErrors.InvalidParameter($"Invalid parameter: Attributes Reason: Invalid attribute name: {name}");
                endpoint.Attributes[name] = value;
            }
            _endpoints.Put(scope, key, endpoint, SnsJsonContext.Default.PlatformEndpointRecord);
            return 0;
        });
        return Empty;
    }

    private Dictionary<string, object?> DeleteEndpoint(RequestContext ctx, Dictionary<string, object?> input)
    {
        // Deleting an endpoint that does not exist succeeds, as in AWS.
        if (TryParseEndpointArn(input.GetString("EndpointArn"), out var scope, out var key)) _endpoints.Delete(scope, key);
        return Empty;
    }

    private Dictionary<string, object?> ListEndpointsByPlatformApplication(RequestContext ctx, Dictionary<string, object?> input)
    {
        var (scope, appKey, _) = ResolveApplication(input.GetString("PlatformApplicationArn"));
        var after = PageToken.Resume(input.GetString("NextToken"), () => SnsErrors.InvalidParameter("Invalid parameter: NextToken"));
        var rows = _endpoints.List(scope, appKey + "/", after, TopicsPageSize + 1);
        var page = rows.Take(TopicsPageSize).ToList();
        var result = new Dictionary<string, object?>
        {
            ["Endpoints"] = page.Select(r => (object?)new Dictionary<string, object?>
            {
                ["EndpointArn"] = EndpointArn(scope, r.Key),
                ["Attributes"] = JsonSerializer.Deserialize(r.Value, SnsJsonContext.Default.PlatformEndpointRecord)!.Attributes.ToDictionary(a => a.Key, a => (object?)a.Value),
            }).ToList(),
        };
        if (rows.Count > TopicsPageSize) result["NextToken"] = PageToken.After(page[^1].Key);
        return result;
    }

    private string PublishToPlatformEndpoint(RequestContext ctx, string arn, PublishRequest request)
    {
        if (!TryParseEndpointArn(arn, out var scope, out var key) || _endpoints.Get(scope, key, SnsJsonContext.Default.PlatformEndpointRecord) is not { } endpoint)
            throw SnsErrors.InvalidParameter("Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified");
        if (!string.Equals(endpoint.Attributes.GetValueOrDefault("Enabled"), "true", StringComparison.OrdinalIgnoreCase))
            throw new AwsException("EndpointDisabled", "Endpoint is disabled");
        var messageId = Guid.NewGuid().ToString();
        RecordMessage(scope, new RecordedMessage
        {
            MessageId = messageId,
            Protocol = "application",
            Endpoint = arn,
            Message = request.PerProtocol is { } structured ? JsonSerializer.Serialize(structured, SnsJsonContext.Default.DictionaryStringString) : request.Message,
            Subject = request.Subject,
            MessageAttributes = request.Attributes.Where(a => a.StringValue is not null).ToDictionary(a => a.Name, a => a.StringValue!),
            Timestamp = Iso(ctx.Now),
        });
        return messageId;
    }
}
