using System.Net;

namespace Nephele.Services.Tests.Iam;

public sealed class IamUserTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private IamClient Iam(string key = "test") => new(nephele.Http(), key);

    [Fact]
    public async Task A_created_user_has_an_AIDA_id_and_an_arn_with_its_path()
    {
        var user = (await Iam().Call("CreateUser", ("UserName", "alice"), ("Path", "/engineering/"))).Element(IamClient.Ns + "User")!;
        Assert.StartsWith("AIDA", user.Text("UserId"));
        Assert.Equal(21, user.Text("UserId").Length);
        Assert.Equal("arn:aws:iam::000000000000:user/engineering/alice", user.Text("Arn"));

        var got = await Iam().Call("GetUser", ("UserName", "alice"));
        Assert.Equal(user.Text("UserId"), got.Text("User", "UserId"));
        var listed = await Iam().Call("ListUsers", ("PathPrefix", "/engineering/"));
        Assert.Contains(listed.Members("Users"), u => u.Text("UserName") == "alice");
    }

    [Fact]
    public async Task User_names_are_unique_regardless_of_case()
    {
        await Iam().Call("CreateUser", ("UserName", "Bob"));
        var (status, code, message) = await Iam().Fail("CreateUser", ("UserName", "bob"));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("EntityAlreadyExists", code);
        Assert.Equal("User with name bob already exists.", message);
    }

    [Fact]
    public async Task A_missing_user_is_NoSuchEntity_with_AWSs_message()
    {
        var (status, code, message) = await Iam().Fail("GetUser", ("UserName", "nobody"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("NoSuchEntity", code);
        Assert.Equal("The user with name nobody cannot be found.", message);
    }

    [Fact]
    public async Task Invalid_names_and_paths_are_ValidationErrors_naming_the_constraint()
    {
        var (status, code, message) = await Iam().Fail("CreateUser", ("UserName", "has space"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ValidationError", code);
        Assert.Equal("1 validation error detected: Value 'has space' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+", message);

        (_, code, message) = await Iam().Fail("CreateUser", ("UserName", "pathy"), ("Path", "nopath"));
        Assert.Equal("ValidationError", code);
        Assert.Contains("at 'path' failed to satisfy constraint", message);

        (_, code, message) = await Iam().Fail("CreateUser");
        Assert.Equal("ValidationError", code);
        Assert.Equal("1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null", message);
    }

    [Fact]
    public async Task Groups_list_their_members_and_users_list_their_groups()
    {
        await Iam().Call("CreateGroup", ("GroupName", "devs"));
        await Iam().Call("CreateUser", ("UserName", "carol"));
        await Iam().Call("AddUserToGroup", ("GroupName", "devs"), ("UserName", "carol"));

        var group = await Iam().Call("GetGroup", ("GroupName", "devs"));
        Assert.StartsWith("AGPA", group.Text("Group", "GroupId"));
        Assert.Equal(["carol"], group.Members("Users").Select(u => u.Text("UserName")));
        var groups = await Iam().Call("ListGroupsForUser", ("UserName", "carol"));
        Assert.Equal(["devs"], groups.Members("Groups").Select(g => g.Text("GroupName")));

        var (status, code, message) = await Iam().Fail("DeleteGroup", ("GroupName", "devs"));
        Assert.Equal((HttpStatusCode.Conflict, "DeleteConflict"), (status, code));
        Assert.Equal("Cannot delete entity, must remove users from group first.", message);

        await Iam().Call("RemoveUserFromGroup", ("GroupName", "devs"), ("UserName", "carol"));
        await Iam().Call("DeleteGroup", ("GroupName", "devs"));
        Assert.Equal("NoSuchEntity", (await Iam().Fail("GetGroup", ("GroupName", "devs"))).Code);
    }

    [Fact]
    public async Task A_user_with_keys_groups_or_policies_cannot_be_deleted_until_they_are_removed()
    {
        await Iam().Call("CreateUser", ("UserName", "dave"));
        await Iam().Call("CreateGroup", ("GroupName", "dave-group"));
        await Iam().Call("AddUserToGroup", ("GroupName", "dave-group"), ("UserName", "dave"));
        await Iam().Call("AttachUserPolicy", ("UserName", "dave"), ("PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"));
        var key = (await Iam().Call("CreateAccessKey", ("UserName", "dave"))).Text("AccessKey", "AccessKeyId");

        Assert.Equal("Cannot delete entity, must delete access keys first.", (await Iam().Fail("DeleteUser", ("UserName", "dave"))).Message);
        await Iam().Call("DeleteAccessKey", ("UserName", "dave"), ("AccessKeyId", key));
        Assert.Equal("DeleteConflict", (await Iam().Fail("DeleteUser", ("UserName", "dave"))).Code);
        await Iam().Call("RemoveUserFromGroup", ("GroupName", "dave-group"), ("UserName", "dave"));
        Assert.Equal("Cannot delete entity, must detach all policies first.", (await Iam().Fail("DeleteUser", ("UserName", "dave"))).Message);
        await Iam().Call("DetachUserPolicy", ("UserName", "dave"), ("PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"));
        await Iam().Call("DeleteUser", ("UserName", "dave"));
        Assert.Equal("NoSuchEntity", (await Iam().Fail("GetUser", ("UserName", "dave"))).Code);
    }

    [Fact]
    public async Task Renaming_a_user_moves_its_arn_and_group_membership()
    {
        await Iam().Call("CreateUser", ("UserName", "erin"));
        await Iam().Call("CreateGroup", ("GroupName", "erin-group"));
        await Iam().Call("AddUserToGroup", ("GroupName", "erin-group"), ("UserName", "erin"));
        await Iam().Call("UpdateUser", ("UserName", "erin"), ("NewUserName", "erin2"), ("NewPath", "/moved/"));

        Assert.Equal("arn:aws:iam::000000000000:user/moved/erin2", (await Iam().Call("GetUser", ("UserName", "erin2"))).Text("User", "Arn"));
        Assert.Equal("NoSuchEntity", (await Iam().Fail("GetUser", ("UserName", "erin"))).Code);
        Assert.Equal(["erin2"], (await Iam().Call("GetGroup", ("GroupName", "erin-group"))).Members("Users").Select(u => u.Text("UserName")));
    }

    [Fact]
    public async Task Users_are_paged_with_Marker_and_MaxItems()
    {
        for (var i = 0; i < 5; i++) await Iam().Call("CreateUser", ("UserName", $"pager-{i}"), ("Path", "/paging/"));
        var seen = new List<string>();
        string? marker = null;
        do
        {
            var parameters = new List<(string, string)> { ("PathPrefix", "/paging/"), ("MaxItems", "2") };
            if (marker is not null) parameters.Add(("Marker", marker));
            var page = await Iam().Call("ListUsers", [.. parameters]);
            seen.AddRange(page.Members("Users").Select(u => u.Text("UserName")));
            marker = page.Text("IsTruncated") == "true" ? page.Text("Marker") : null;
        }
        while (marker is not null);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"pager-{i}"), seen);
    }

    [Fact]
    public async Task User_tags_are_added_replaced_listed_and_removed_case_insensitively()
    {
        await Iam().Call("CreateUser", ("UserName", "tagged"), ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "core"));
        await Iam().Call("TagUser", ("UserName", "tagged"), ("Tags.member.1.Key", "Team"), ("Tags.member.1.Value", "edge"),
            ("Tags.member.2.Key", "env"), ("Tags.member.2.Value", "dev"));
        var tags = (await Iam().Call("ListUserTags", ("UserName", "tagged"))).Members("Tags");
        Assert.Equal(["Team=edge", "env=dev"], tags.Select(t => $"{t.Text("Key")}={t.Text("Value")}"));

        await Iam().Call("UntagUser", ("UserName", "tagged"), ("TagKeys.member.1", "TEAM"));
        Assert.Equal(["env"], (await Iam().Call("GetUser", ("UserName", "tagged"))).Element(IamClient.Ns + "User")!.Members("Tags").Select(t => t.Text("Key")));

        var (_, code, _) = await Iam().Fail("TagUser", ("UserName", "tagged"), ("Tags.member.1.Key", "a"), ("Tags.member.1.Value", "1"),
            ("Tags.member.2.Key", "A"), ("Tags.member.2.Value", "2"));
        Assert.Equal("InvalidInput", code);
    }

    [Fact]
    public async Task Login_profiles_follow_the_password_policy()
    {
        await Iam().Call("CreateUser", ("UserName", "console-user"));
        Assert.Equal("PasswordPolicyViolation", (await Iam().Fail("CreateLoginProfile", ("UserName", "console-user"), ("Password", "short"))).Code);
        var profile = await Iam().Call("CreateLoginProfile", ("UserName", "console-user"), ("Password", "Corr3ct-Horse"), ("PasswordResetRequired", "true"));
        Assert.Equal("true", profile.Text("LoginProfile", "PasswordResetRequired"));
        Assert.Equal("EntityAlreadyExists", (await Iam().Fail("CreateLoginProfile", ("UserName", "console-user"), ("Password", "Corr3ct-Horse"))).Code);
        Assert.Equal("Cannot delete entity, must delete login profile first.", (await Iam().Fail("DeleteUser", ("UserName", "console-user"))).Message);
        await Iam().Call("DeleteLoginProfile", ("UserName", "console-user"));
        Assert.Equal("Login Profile for User console-user cannot be found.", (await Iam().Fail("GetLoginProfile", ("UserName", "console-user"))).Message);
        await Iam().Call("DeleteUser", ("UserName", "console-user"));
    }
}
