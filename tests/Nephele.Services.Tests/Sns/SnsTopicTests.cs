using System.Net;
using System.Text.Json;

namespace Nephele.Services.Tests.Sns;

public sealed class SnsTopicTests(NepheleFixture nephele) : SnsTestBase(nephele)
{
    [Fact]
    public async Task Created_topic_has_an_arn_and_awss_default_attributes()
    {
        var name = NewName();
        var arn = await Sns.CreateTopic(name);
        Assert.Equal($"arn:aws:sns:us-east-1:000000000000:{name}", arn);
        var attributes = await Sns.TopicAttributes(arn);
        Assert.Equal(arn, attributes["TopicArn"]);
        Assert.Equal("000000000000", attributes["Owner"]);
        Assert.Equal("", attributes["DisplayName"]);
        Assert.Equal("0", attributes["SubscriptionsConfirmed"]);
        Assert.Equal("0", attributes["SubscriptionsPending"]);
        Assert.Equal("0", attributes["SubscriptionsDeleted"]);
        var policy = JsonDocument.Parse(attributes["Policy"]).RootElement;
        Assert.Equal("__default_policy_ID", policy.GetProperty("Id").GetString());
        Assert.Equal(arn, policy.GetProperty("Statement")[0].GetProperty("Resource").GetString());
        var delivery = JsonDocument.Parse(attributes["EffectiveDeliveryPolicy"]).RootElement;
        Assert.Equal(3, delivery.GetProperty("http").GetProperty("defaultHealthyRetryPolicy").GetProperty("numRetries").GetInt32());
        Assert.DoesNotContain("FifoTopic", attributes.Keys);
    }

    [Fact]
    public async Task Creating_a_topic_again_with_the_same_attributes_returns_it_and_different_ones_fail()
    {
        var name = NewName();
        var attributes = new Dictionary<string, string> { ["DisplayName"] = "first" };
        var arn = await Sns.CreateTopic(name, attributes);
        Assert.Equal(arn, await Sns.CreateTopic(name, attributes));
        Assert.Equal(arn, await Sns.CreateTopic(name));
        var (status, code, message) = await Sns.Fail("CreateTopic", [("Name", name), .. SnsClient.MapParameters("Attributes", new Dictionary<string, string> { ["DisplayName"] = "second" })]);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("InvalidParameter", code);
        Assert.Equal("Invalid parameter: Attributes Reason: Topic already exists with different attributes", message);
        Assert.Equal("first", (await Sns.TopicAttributes(arn))["DisplayName"]);
    }

    [Fact]
    public async Task Creating_a_topic_again_with_different_tags_fails()
    {
        var name = NewName();
        await Sns.Call("CreateTopic", ("Name", name), ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "a"));
        var (_, code, message) = await Sns.Fail("CreateTopic", ("Name", name), ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "b"));
        Assert.Equal("InvalidParameter", code);
        Assert.Equal("Invalid parameter: Tags Reason: Topic already exists with different tags", message);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("dot.fifo")]
    [InlineData("")]
    public async Task Invalid_topic_names_are_refused(string name)
    {
        var (_, code, message) = await Sns.Fail("CreateTopic", ("Name", name));
        Assert.Equal("InvalidParameter", code);
        Assert.Equal("Invalid parameter: Topic Name", message);
    }

    [Fact]
    public async Task Fifo_topic_needs_the_fifo_suffix_and_reports_its_attributes()
    {
        var fifo = new Dictionary<string, string> { ["FifoTopic"] = "true" };
        var (_, code, message) = await Sns.Fail("CreateTopic", [("Name", NewName()), .. SnsClient.MapParameters("Attributes", fifo)]);
        Assert.Equal("InvalidParameter", code);
        Assert.StartsWith("Invalid parameter: Fifo Topic names must end with .fifo", message);

        var arn = await NewTopic(new Dictionary<string, string> { ["FifoTopic"] = "true", ["ContentBasedDeduplication"] = "true" });
        var attributes = await Sns.TopicAttributes(arn);
        Assert.Equal("true", attributes["FifoTopic"]);
        Assert.Equal("true", attributes["ContentBasedDeduplication"]);
    }

    [Fact]
    public async Task Content_based_deduplication_is_refused_on_a_standard_topic()
    {
        var arn = await NewTopic();
        var (_, code, message) = await Sns.Fail("SetTopicAttributes", ("TopicArn", arn), ("AttributeName", "ContentBasedDeduplication"), ("AttributeValue", "true"));
        Assert.Equal("InvalidParameter", code);
        Assert.Contains("Content based deduplication can only be set for FIFO topics", message);
    }

    [Fact]
    public async Task Set_topic_attributes_are_returned_and_unknown_names_fail()
    {
        var arn = await NewTopic();
        await Sns.Call("SetTopicAttributes", ("TopicArn", arn), ("AttributeName", "DisplayName"), ("AttributeValue", "Shop"));
        await Sns.Call("SetTopicAttributes", ("TopicArn", arn), ("AttributeName", "SignatureVersion"), ("AttributeValue", "2"));
        var deliveryPolicy = """{"http":{"defaultHealthyRetryPolicy":{"numRetries":5,"minDelayTarget":1,"maxDelayTarget":10}}}""";
        await Sns.Call("SetTopicAttributes", ("TopicArn", arn), ("AttributeName", "DeliveryPolicy"), ("AttributeValue", deliveryPolicy));
        var attributes = await Sns.TopicAttributes(arn);
        Assert.Equal("Shop", attributes["DisplayName"]);
        Assert.Equal("2", attributes["SignatureVersion"]);
        Assert.Equal(deliveryPolicy, attributes["DeliveryPolicy"]);
        var effective = JsonDocument.Parse(attributes["EffectiveDeliveryPolicy"]).RootElement.GetProperty("http").GetProperty("defaultHealthyRetryPolicy");
        Assert.Equal(5, effective.GetProperty("numRetries").GetInt32());

        var (_, code, message) = await Sns.Fail("SetTopicAttributes", ("TopicArn", arn), ("AttributeName", "Colour"), ("AttributeValue", "red"));
        Assert.Equal("InvalidParameter", code);
        Assert.Equal("Invalid parameter: AttributeName", message);
        (_, code, _) = await Sns.Fail("SetTopicAttributes", ("TopicArn", arn), ("AttributeName", "SignatureVersion"), ("AttributeValue", "3"));
        Assert.Equal("InvalidParameter", code);
    }

    [Fact]
    public async Task Operations_on_a_missing_topic_answer_not_found()
    {
        var (status, code, message) = await Sns.Fail("GetTopicAttributes", ("TopicArn", "arn:aws:sns:us-east-1:000000000000:missing"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("NotFound", code);
        Assert.Equal("Topic does not exist", message);
    }

    [Fact]
    public async Task Deleted_topic_is_gone_with_its_subscriptions_and_deleting_again_succeeds()
    {
        var arn = await NewTopic();
        var (_, subscription) = await SubscribedQueue(arn);
        await Sns.Call("DeleteTopic", ("TopicArn", arn));
        await Sns.Call("DeleteTopic", ("TopicArn", arn));
        Assert.Equal("NotFound", (await Sns.Fail("GetTopicAttributes", ("TopicArn", arn))).Code);
        Assert.Equal("NotFound", (await Sns.Fail("GetSubscriptionAttributes", ("SubscriptionArn", subscription))).Code);
    }

    [Fact]
    public async Task List_topics_pages_by_one_hundred()
    {
        using var http = Nephele.Http();
        var sns = new SnsClient(http, accessKey: "123456789012");
        for (var i = 0; i < 105; i++) await sns.CreateTopic($"page-{i:D3}");
        var first = await sns.Call("ListTopics");
        Assert.Equal(100, SnsClient.Values(first, "TopicArn").Count);
        var token = SnsClient.Value(first, "NextToken");
        Assert.NotNull(token);
        var second = await sns.Call("ListTopics", ("NextToken", token!));
        Assert.Equal(5, SnsClient.Values(second, "TopicArn").Count);
        Assert.Null(SnsClient.Value(second, "NextToken"));
        Assert.Equal("arn:aws:sns:us-east-1:123456789012:page-104", SnsClient.Values(second, "TopicArn")[^1]);
    }

    [Fact]
    public async Task Tags_are_added_listed_and_removed()
    {
        var arn = await NewTopic();
        await Sns.Call("TagResource", ("ResourceArn", arn), ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "blue"),
            ("Tags.member.2.Key", "env"), ("Tags.member.2.Value", "dev"));
        await Sns.Call("UntagResource", ("ResourceArn", arn), ("TagKeys.member.1", "env"));
        var tags = await Sns.Call("ListTagsForResource", ("ResourceArn", arn));
        Assert.Equal(["team"], SnsClient.Values(tags, "Key"));
        Assert.Equal(["blue"], SnsClient.Values(tags, "Value"));
        var (status, code, _) = await Sns.Fail("ListTagsForResource", ("ResourceArn", "arn:aws:sns:us-east-1:000000000000:nope"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("ResourceNotFound", code);
    }

    [Fact]
    public async Task Data_protection_policy_is_stored_and_returned()
    {
        var arn = await NewTopic();
        var policy = """{"Name":"p","Version":"2021-06-01","Statement":[]}""";
        await Sns.Call("PutDataProtectionPolicy", ("ResourceArn", arn), ("DataProtectionPolicy", policy));
        Assert.Equal(policy, SnsClient.Value(await Sns.Call("GetDataProtectionPolicy", ("ResourceArn", arn)), "DataProtectionPolicy"));
        Assert.Equal("InvalidParameter", (await Sns.Fail("PutDataProtectionPolicy", ("ResourceArn", arn), ("DataProtectionPolicy", "not json"))).Code);
    }

    [Fact]
    public async Task Permissions_become_statements_of_the_topic_policy()
    {
        var arn = await NewTopic();
        await Sns.Call("AddPermission", ("TopicArn", arn), ("Label", "allow-other"), ("AWSAccountId.member.1", "111122223333"), ("ActionName.member.1", "Publish"));
        var policy = JsonDocument.Parse((await Sns.TopicAttributes(arn))["Policy"]).RootElement;
        var statement = policy.GetProperty("Statement").EnumerateArray().Single(s => s.GetProperty("Sid").GetString() == "allow-other");
        Assert.Equal("SNS:Publish", statement.GetProperty("Action").GetString());
        Assert.Equal("Invalid parameter: Statement already exists",
            (await Sns.Fail("AddPermission", ("TopicArn", arn), ("Label", "allow-other"), ("AWSAccountId.member.1", "111122223333"), ("ActionName.member.1", "Publish"))).Message);
        await Sns.Call("RemovePermission", ("TopicArn", arn), ("Label", "allow-other"));
        Assert.DoesNotContain("allow-other", (await Sns.TopicAttributes(arn))["Policy"]);
    }
}
