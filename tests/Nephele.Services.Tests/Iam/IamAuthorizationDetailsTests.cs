namespace Nephele.Services.Tests.Iam;

public sealed class IamAuthorizationDetailsTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    [Fact]
    public async Task GetAccountAuthorizationDetails_pages_across_users_groups_and_roles()
    {
        var iam = new IamClient(nephele.Http(), "567890123456");
        foreach (var user in new[] { "ann", "ben", "cid" }) await iam.Call("CreateUser", ("UserName", user));
        foreach (var group in new[] { "admins", "devs" }) await iam.Call("CreateGroup", ("GroupName", group));

        var names = new List<string>();
        string? marker = null;
        var pages = 0;
        do
        {
            var parameters = new List<(string, string)> { ("MaxItems", "2"), ("Filter.member.1", "User"), ("Filter.member.2", "Group") };
            if (marker is not null) parameters.Add(("Marker", marker));
            var page = await iam.Call("GetAccountAuthorizationDetails", [.. parameters]);
            var entries = page.Members("UserDetailList").Select(u => u.Text("UserName")).Concat(page.Members("GroupDetailList").Select(g => g.Text("GroupName"))).ToList();
            Assert.True(entries.Count <= 2);
            names.AddRange(entries);
            marker = page.Text("IsTruncated") == "true" ? page.Text("Marker") : null;
            pages++;
        }
        while (marker is not null);
        Assert.Equal(["ann", "ben", "cid", "admins", "devs"], names);
        Assert.Equal(3, pages);
    }
}
