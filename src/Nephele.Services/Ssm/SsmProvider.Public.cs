using Nephele.Core.Gateway;

namespace Nephele.Services.Ssm;

public sealed partial class SsmProvider
{
    /// <summary>A public parameter (/aws/service/...) as a read-only record, or null when AWS publishes no such name.</summary>
    private static ParameterRecord? PublicRecord(RequestContext ctx, string name) =>
        PublicParameters.IsPublic(name) && PublicParameters.Find(ctx.Region, name) is { } p ? ToRecord(p) : null;

    private static ParameterRecord ToRecord(PublicParameter p) => new()
    {
        Name = p.Name,
        Versions =
        [
            new ParameterVersion
            {
                Version = p.Version,
                Value = p.Value,
                Type = "String",
                Tier = "Standard",
                DataType = "text",
                LastModifiedDate = p.LastModifiedDate,
                LastModifiedUser = "",
            },
        ],
    };

    /// <summary>A parameter's ARN; public parameters belong to no account, so their ARN has an empty account field.</summary>
    private static string Arn(RequestContext ctx, string name) =>
        ParameterNames.Arn(ctx.Region, PublicParameters.IsPublic(name) ? "" : ctx.AccountId, name);
}
