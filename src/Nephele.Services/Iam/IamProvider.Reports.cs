using System.Globalization;
using System.Text;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

public sealed partial class IamProvider
{
    // IAM serves a generated report for four hours; after that it must be generated again.
    private static readonly TimeSpan ReportLifetime = TimeSpan.FromHours(4);

    private IEnumerable<(string, Handler)> ReportHandlers() =>
    [
        ("GenerateCredentialReport", GenerateCredentialReport),
        ("GetCredentialReport", GetCredentialReport),
        ("GetAccountAuthorizationDetails", GetAccountAuthorizationDetails),
    ];

    // Nephele builds the report at once, so the task IAM reports as STARTED is complete by the next call.
    private Dictionary<string, object?> GenerateCredentialReport(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        if (_store.CredentialReport(Scope(ctx)) is { } existing && ctx.Now - existing.GeneratedTime < ReportLifetime)
            return new Dictionary<string, object?> { ["State"] = "COMPLETE" };
        _store.PutCredentialReport(Scope(ctx), new CredentialReportRecord(ctx.Now, CredentialReportCsv(ctx)));
        return new Dictionary<string, object?> { ["State"] = "STARTED", ["Description"] = "No report exists. Starting a new report generation task" };
    });

    private Dictionary<string, object?> GetCredentialReport(RequestContext ctx, Dictionary<string, object?> input)
    {
        var report = _store.CredentialReport(Scope(ctx))
            ?? throw new AwsException("ReportNotPresent", "Credential report does not exist. Use GenerateCredentialReport to generate a credential report.", 410);
        if (ctx.Now - report.GeneratedTime >= ReportLifetime)
            throw new AwsException("ReportExpired", "The requested credential report has expired. To generate a new report, call GenerateCredentialReport.", 410);
        return new()
        {
            ["Content"] = Encoding.UTF8.GetBytes(report.Content),
            ["ReportFormat"] = "text/csv",
            ["GeneratedTime"] = report.GeneratedTime,
        };
    }

    private string CredentialReportCsv(RequestContext ctx)
    {
        static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);
        var keys = _store.AccessKeys.All(Scope(ctx)).ToList();
        string KeyColumns(string? userName)
        {
            var owned = keys.Where(k => k.UserName == userName).OrderBy(k => k.CreateDate).ToList();
            return string.Join(",", Enumerable.Range(0, 2).Select(i => i < owned.Count
                ? $"{(owned[i].Status == "Active" ? "true" : "false")},{Time(owned[i].CreateDate)},{LastUse(owned[i].AccessKeyId)}"
                : "false,N/A,N/A,N/A,N/A"));
        }
        string LastUse(string keyId) => _usage.LastUse(Scope(ctx), keyId) is { } use
            ? $"{Time(use.LastUsedDate)},{use.Region},{use.ServiceName}" : "N/A,N/A,N/A";
        var csv = new StringBuilder(
            "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,"
            + "access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
            + "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,"
            + "cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n");
        csv.Append(CultureInfo.InvariantCulture,
            $"<root_account>,arn:aws:iam::{ctx.AccountId}:root,{Time(DateTimeOffset.UnixEpoch)},not_supported,no_information,not_supported,not_supported,false,{KeyColumns(null)},false,N/A,false,N/A\n");
        foreach (var user in _store.Users.All(Scope(ctx)))
        {
            var password = user.LoginProfile is { } p ? $"true,no_information,{Time(p.CreateDate)},N/A" : "false,N/A,N/A,N/A";
            csv.Append(CultureInfo.InvariantCulture,
                $"{user.UserName},{user.Arn},{Time(user.CreateDate)},{password},false,{KeyColumns(user.UserName)},false,N/A,false,N/A\n");
        }
        return csv.ToString();
    }

    // Paged over users, then groups, then roles, then policies: MaxItems counts entities of every list together.
    private Dictionary<string, object?> GetAccountAuthorizationDetails(RequestContext ctx, Dictionary<string, object?> input)
    {
        var filter = input.GetStrings("Filter");
        bool Wanted(string kind) => filter.Count == 0 || filter.Contains(kind);
        var scope = Scope(ctx);
        var profiles = new Lazy<List<InstanceProfileRecord>>(() => _store.InstanceProfiles.All(scope).ToList());
        var counts = AttachmentCounts(ctx);
        var entries = new List<(string Key, string List, Func<object?> Render)>();
        if (Wanted("User"))
            entries.AddRange(_store.Users.All(scope).Select(u => ("1" + EntityTable<UserRecord>.Key(u.UserName), "UserDetailList", (Func<object?>)(() => new Dictionary<string, object?>
            {
                ["Path"] = u.Path,
                ["UserName"] = u.UserName,
                ["UserId"] = u.UserId,
                ["Arn"] = u.Arn,
                ["CreateDate"] = u.CreateDate,
                ["UserPolicyList"] = InlineDetails(u.InlinePolicies),
                ["GroupList"] = u.Groups.Cast<object?>().ToList(),
                ["AttachedManagedPolicies"] = AttachedDetails(ctx, u.AttachedPolicies),
                ["PermissionsBoundary"] = Boundary(u.PermissionsBoundary),
                ["Tags"] = IamTags.WriteOrNull(u.Tags),
            }))));
        if (Wanted("Group"))
            entries.AddRange(_store.Groups.All(scope).Select(g => ("2" + EntityTable<GroupRecord>.Key(g.GroupName), "GroupDetailList", (Func<object?>)(() => new Dictionary<string, object?>
            {
                ["Path"] = g.Path,
                ["GroupName"] = g.GroupName,
                ["GroupId"] = g.GroupId,
                ["Arn"] = g.Arn,
                ["CreateDate"] = g.CreateDate,
                ["GroupPolicyList"] = InlineDetails(g.InlinePolicies),
                ["AttachedManagedPolicies"] = AttachedDetails(ctx, g.AttachedPolicies),
            }))));
        if (Wanted("Role"))
            entries.AddRange(_store.Roles.All(scope).Select(r => ("3" + EntityTable<RoleRecord>.Key(r.RoleName), "RoleDetailList", (Func<object?>)(() =>
            {
                var detail = RoleOut(r, detailed: true);
                detail["InstanceProfileList"] = profiles.Value.Where(p => p.Roles.Contains(r.RoleName)).Select(p => (object?)InstanceProfileOut(ctx, p)).ToList();
                detail["RolePolicyList"] = InlineDetails(r.InlinePolicies);
                detail["AttachedManagedPolicies"] = AttachedDetails(ctx, r.AttachedPolicies);
                detail.Remove("Description");
                detail.Remove("MaxSessionDuration");
                return detail;
            }))));
        // AWS managed policies appear when something in the account uses them.
        IEnumerable<PolicyRecord> policies = [];
        if (Wanted("LocalManagedPolicy")) policies = policies.Concat(_store.Policies.All(scope));
        if (Wanted("AWSManagedPolicy")) policies = policies.Concat(AwsManagedPolicies.ByArn.Values.Where(p => counts.ContainsKey(p.Arn)));
        entries.AddRange(policies.Select(p => ("4" + p.Arn, "Policies", (Func<object?>)(() =>
        {
            var detail = PolicyOut(p, counts.GetValueOrDefault(p.Arn), null);
            detail["Description"] = p.Description;
            detail["PolicyVersionList"] = p.Versions.Select(v => (object?)VersionOut(p, v, withDocument: true)).ToList();
            return detail;
        }))).OrderBy(e => e.Item1, StringComparer.Ordinal));

        var page = Page(entries, e => e.Key, input, "Entries", e => (e.List, e.Render()));
        var output = new Dictionary<string, object?> { ["IsTruncated"] = page["IsTruncated"], ["Marker"] = page["Marker"] };
        foreach (var (list, kind) in new[] { ("UserDetailList", "User"), ("GroupDetailList", "Group"), ("RoleDetailList", "Role"), ("Policies", "") })
            if (kind.Length == 0 ? Wanted("LocalManagedPolicy") || Wanted("AWSManagedPolicy") : Wanted(kind))
                output[list] = ((List<object?>)page["Entries"]!).Cast<(string List, object? Detail)>().Where(e => e.List == list).Select(e => e.Detail).ToList();
        return output;
    }

    private static List<object?> InlineDetails(List<InlinePolicy> policies) => policies.Select(p => (object?)new Dictionary<string, object?>
    {
        ["PolicyName"] = p.PolicyName,
        ["PolicyDocument"] = Encoded(p.Document),
    }).ToList();

    private List<object?> AttachedDetails(RequestContext ctx, List<string> arns) =>
        arns.Select(a => FindPolicy(ctx, a)).OfType<PolicyRecord>().Select(p => (object?)AttachedOut(p)).ToList();
}
