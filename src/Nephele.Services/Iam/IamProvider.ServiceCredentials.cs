using System.Security.Cryptography;
using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

/// <summary>
/// Service-specific credentials: a user name and generated password for CodeCommit (HTTPS git) and Amazon Keyspaces,
/// or an API key alias and secret for Bedrock. The password is shown only when created or reset.
/// </summary>
public sealed partial class IamProvider
{
    private const int ServiceCredentialsPerUserAndService = 2;

    private static readonly string[] PasswordServices = ["codecommit.amazonaws.com", "cassandra.amazonaws.com"];
    private const string BedrockService = "bedrock.amazonaws.com";

    private IEnumerable<(string, Handler)> ServiceCredentialHandlers() =>
    [
        ("CreateServiceSpecificCredential", CreateServiceSpecificCredential),
        ("ListServiceSpecificCredentials", ListServiceSpecificCredentials),
        ("ResetServiceSpecificCredential", ResetServiceSpecificCredential),
        ("UpdateServiceSpecificCredential", UpdateServiceSpecificCredential),
        ("DeleteServiceSpecificCredential", DeleteServiceSpecificCredential),
    ];

    private Dictionary<string, object?> CreateServiceSpecificCredential(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var user = User(ctx, Required(input, "UserName"));
        var service = Required(input, "ServiceName");
        var bedrock = service == BedrockService;
        if (!bedrock && !PasswordServices.Contains(service))
            throw new AwsException("NotSupportedService", $"Service {service} is not supported for service specific credentials.", 404);
        if (_store.ServiceCredentials.All(Scope(ctx)).Count(c => c.UserName == user.UserName && c.ServiceName == service) >= ServiceCredentialsPerUserAndService)
            throw IamErrors.LimitExceeded($"Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: {ServiceCredentialsPerUserAndService}");
        var id = AccessKeys.NewUniqueId("ACCA");
        var days = input.GetInt("CredentialAgeDays");
        var record = new ServiceSpecificCredentialRecord
        {
            ServiceSpecificCredentialId = id,
            UserName = user.UserName,
            ServiceName = service,
            ServiceUserName = bedrock ? null : $"{user.UserName}-at-{ctx.AccountId}",
            ServicePassword = bedrock ? null : NewServicePassword(),
            ServiceCredentialAlias = bedrock ? $"{user.UserName}-at-{ctx.AccountId}" : null,
            ServiceCredentialSecret = bedrock ? "ABSK" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)) : null,
            Status = "Active",
            CreateDate = ctx.Now,
            ExpirationDate = days is { } d ? ctx.Now.AddDays(d) : null,
        };
        _store.ServiceCredentials.Put(Scope(ctx), id, record);
        return new Dictionary<string, object?> { ["ServiceSpecificCredential"] = ServiceCredentialOut(record, withSecret: true) };
    });

    private Dictionary<string, object?> ListServiceSpecificCredentials(RequestContext ctx, Dictionary<string, object?> input)
    {
        var all = input.GetBool("AllUsers") == true;
        var userName = all ? null : input.GetString("UserName") is { } named ? User(ctx, named).UserName : CallerUserName(ctx);
        var service = input.GetString("ServiceName");
        var credentials = _store.ServiceCredentials.All(Scope(ctx))
            .Where(c => (all || c.UserName == userName) && (service is null || c.ServiceName == service));
        return Page(credentials, c => c.ServiceSpecificCredentialId, input, "ServiceSpecificCredentials", c => ServiceCredentialOut(c, withSecret: false));
    }

    private Dictionary<string, object?> ResetServiceSpecificCredential(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var record = ServiceCredential(ctx, input);
        record = record.ServicePassword is null
            ? record with { ServiceCredentialSecret = "ABSK" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)) }
            : record with { ServicePassword = NewServicePassword() };
        _store.ServiceCredentials.Put(Scope(ctx), record.ServiceSpecificCredentialId, record);
        return new Dictionary<string, object?> { ["ServiceSpecificCredential"] = ServiceCredentialOut(record, withSecret: true) };
    });

    private Dictionary<string, object?> UpdateServiceSpecificCredential(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var record = ServiceCredential(ctx, input);
        _store.ServiceCredentials.Put(Scope(ctx), record.ServiceSpecificCredentialId, record with { Status = Required(input, "Status") });
        return Empty();
    });

    private Dictionary<string, object?> DeleteServiceSpecificCredential(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var record = ServiceCredential(ctx, input);
        _store.ServiceCredentials.Delete(Scope(ctx), record.ServiceSpecificCredentialId);
        return Empty();
    });

    private ServiceSpecificCredentialRecord ServiceCredential(RequestContext ctx, Dictionary<string, object?> input)
    {
        var userName = input.GetString("UserName") is { } named ? User(ctx, named).UserName : CallerUserName(ctx);
        var id = Required(input, "ServiceSpecificCredentialId");
        return _store.ServiceCredentials.Get(Scope(ctx), id) is { } record && record.ServiceSpecificCredentialId == id && record.UserName == userName ? record
            : throw IamErrors.NoSuchEntity($"No such credential {id} exists");
    }

    // CodeCommit's generated passwords: 44 characters of letters, digits and a few symbols.
    private static string NewServicePassword() =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", 44);

    private static Dictionary<string, object?> ServiceCredentialOut(ServiceSpecificCredentialRecord record, bool withSecret) => new()
    {
        ["CreateDate"] = record.CreateDate,
        ["ExpirationDate"] = record.ExpirationDate,
        ["ServiceName"] = record.ServiceName,
        ["ServiceUserName"] = record.ServiceUserName,
        ["ServicePassword"] = withSecret ? record.ServicePassword : null,
        ["ServiceCredentialAlias"] = record.ServiceCredentialAlias,
        ["ServiceCredentialSecret"] = withSecret ? record.ServiceCredentialSecret : null,
        ["ServiceSpecificCredentialId"] = record.ServiceSpecificCredentialId,
        ["UserName"] = record.UserName,
        ["Status"] = record.Status,
    };
}
