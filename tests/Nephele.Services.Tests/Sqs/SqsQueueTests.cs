using Amazon.SQS;
using Amazon.SQS.Model;

namespace Nephele.Services.Tests.Sqs;

public sealed class SqsQueueTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly AmazonSQSClient _sqs = nephele.Sqs();

    [Fact]
    public async Task Create_queue_returns_an_aws_shaped_url_on_the_servers_port()
    {
        var url = (await _sqs.CreateQueueAsync("shaped")).QueueUrl;
        Assert.Equal($"http://sqs.us-east-1.localhost.localstack.cloud:{nephele.Server.Endpoint.Port}/000000000000/shaped", url);
        Assert.Equal(url, (await _sqs.GetQueueUrlAsync("shaped")).QueueUrl);
    }

    [Fact]
    public async Task Creating_the_same_queue_twice_is_idempotent_but_different_attributes_are_QueueNameExists()
    {
        var first = await _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "twice", Attributes = new() { ["VisibilityTimeout"] = "60" } });
        var again = await _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "twice", Attributes = new() { ["VisibilityTimeout"] = "60" } });
        Assert.Equal(first.QueueUrl, again.QueueUrl);
        var e = await Assert.ThrowsAsync<QueueNameExistsException>(() =>
            _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "twice", Attributes = new() { ["VisibilityTimeout"] = "61" } }));
        Assert.Contains("VisibilityTimeout", e.Message);
    }

    [Theory]
    [InlineData("VisibilityTimeout", "43201")]
    [InlineData("DelaySeconds", "901")]
    [InlineData("MessageRetentionPeriod", "59")]
    [InlineData("MaximumMessageSize", "1023")]
    [InlineData("ReceiveMessageWaitTimeSeconds", "21")]
    [InlineData("VisibilityTimeout", "soon")]
    public async Task Out_of_range_attributes_are_InvalidAttributeValue_and_create_nothing(string name, string value)
    {
        var queue = "bad-" + name;
        await Assert.ThrowsAsync<InvalidAttributeValueException>(() =>
            _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = queue, Attributes = new() { [name] = value } }));
        await Assert.ThrowsAsync<QueueDoesNotExistException>(() => _sqs.GetQueueUrlAsync(queue));
    }

    [Fact]
    public async Task An_unknown_attribute_is_InvalidAttributeName()
    {
        await Assert.ThrowsAsync<InvalidAttributeNameException>(() =>
            _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "unknown-attr", Attributes = new() { ["Colour"] = "blue" } }));
    }

    [Fact]
    public async Task A_fifo_name_needs_FifoQueue_true_and_FifoQueue_needs_a_fifo_name()
    {
        await Assert.ThrowsAsync<AmazonSQSException>(() => _sqs.CreateQueueAsync("orders.fifo"));
        await Assert.ThrowsAsync<AmazonSQSException>(() =>
            _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "orders", Attributes = new() { ["FifoQueue"] = "true" } }));
        var url = (await _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "orders.fifo", Attributes = new() { ["FifoQueue"] = "true" } })).QueueUrl;
        Assert.Equal("true", (await _sqs.Attributes(url, "FifoQueue"))["FifoQueue"]);
    }

    [Fact]
    public async Task Get_queue_url_of_a_missing_queue_is_QueueDoesNotExist()
    {
        await Assert.ThrowsAsync<QueueDoesNotExistException>(() => _sqs.GetQueueUrlAsync("never-created"));
    }

    [Fact]
    public async Task List_queues_filters_by_prefix_and_pages_with_next_token()
    {
        for (var i = 0; i < 5; i++) await _sqs.CreateQueueAsync($"listme-{i}");
        await _sqs.CreateQueueAsync("other-listme");
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _sqs.ListQueuesAsync(new ListQueuesRequest { QueueNamePrefix = "listme-", MaxResults = 2, NextToken = token });
            seen.AddRange(page.QueueUrls);
            token = page.NextToken;
            pages++;
        } while (token is not null);
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"listme-{i}"), seen.Select(u => u[(u.LastIndexOf('/') + 1)..]));
    }

    [Fact]
    public async Task Deleted_queue_no_longer_exists()
    {
        var url = await _sqs.NewQueue();
        await _sqs.SendMessageAsync(url, "orphan");
        await _sqs.DeleteQueueAsync(url);
        await Assert.ThrowsAsync<QueueDoesNotExistException>(() => _sqs.GetQueueAttributesAsync(url, ["All"]));
        await Assert.ThrowsAsync<QueueDoesNotExistException>(() => _sqs.SendMessageAsync(url, "late"));
    }

    [Fact]
    public async Task Get_queue_attributes_All_returns_defaults_counts_timestamps_and_arn()
    {
        var url = await _sqs.NewQueue();
        var attributes = await _sqs.Attributes(url, "All");
        var name = url[(url.LastIndexOf('/') + 1)..];
        Assert.Equal($"arn:aws:sqs:us-east-1:000000000000:{name}", attributes["QueueArn"]);
        Assert.Equal("30", attributes["VisibilityTimeout"]);
        Assert.Equal("345600", attributes["MessageRetentionPeriod"]);
        Assert.Equal("262144", attributes["MaximumMessageSize"]);
        Assert.Equal("0", attributes["DelaySeconds"]);
        Assert.Equal("0", attributes["ApproximateNumberOfMessages"]);
        Assert.Equal("0", attributes["ApproximateNumberOfMessagesNotVisible"]);
        Assert.Equal("0", attributes["ApproximateNumberOfMessagesDelayed"]);
        Assert.True(long.Parse(attributes["CreatedTimestamp"], System.Globalization.CultureInfo.InvariantCulture) > 1_700_000_000);
        Assert.Equal(attributes["CreatedTimestamp"], attributes["LastModifiedTimestamp"]);
    }

    [Fact]
    public async Task Get_queue_attributes_with_an_unknown_name_is_InvalidAttributeName()
    {
        var url = await _sqs.NewQueue();
        await Assert.ThrowsAsync<InvalidAttributeNameException>(() => _sqs.GetQueueAttributesAsync(url, ["Colour"]));
    }

    [Fact]
    public async Task Set_queue_attributes_changes_what_get_returns_and_validates()
    {
        var url = await _sqs.NewQueue();
        await _sqs.SetQueueAttributesAsync(url, new() { ["VisibilityTimeout"] = "120", ["DelaySeconds"] = "5" });
        var attributes = await _sqs.Attributes(url, "VisibilityTimeout", "DelaySeconds");
        Assert.Equal("120", attributes["VisibilityTimeout"]);
        Assert.Equal("5", attributes["DelaySeconds"]);
        await Assert.ThrowsAsync<InvalidAttributeValueException>(() => _sqs.SetQueueAttributesAsync(url, new() { ["DelaySeconds"] = "1000" }));
        Assert.Equal("5", (await _sqs.Attributes(url, "DelaySeconds"))["DelaySeconds"]);
    }

    [Fact]
    public async Task Tags_are_added_listed_and_removed()
    {
        var url = (await _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "tagged", Tags = new() { ["team"] = "a" } })).QueueUrl;
        await _sqs.TagQueueAsync(new TagQueueRequest { QueueUrl = url, Tags = new() { ["env"] = "dev" } });
        var tags = (await _sqs.ListQueueTagsAsync(new ListQueueTagsRequest { QueueUrl = url })).Tags;
        Assert.Equal("a", tags["team"]);
        Assert.Equal("dev", tags["env"]);
        await _sqs.UntagQueueAsync(new UntagQueueRequest { QueueUrl = url, TagKeys = ["team"] });
        tags = (await _sqs.ListQueueTagsAsync(new ListQueueTagsRequest { QueueUrl = url })).Tags;
        Assert.Equal(["env"], tags.Keys);
    }

    [Fact]
    public async Task A_path_style_queue_url_names_the_same_queue()
    {
        var url = await _sqs.NewQueue();
        var pathStyle = $"{nephele.Endpoint}/000000000000/{url[(url.LastIndexOf('/') + 1)..]}";
        await _sqs.SendMessageAsync(pathStyle, "via path");
        Assert.Equal("via path", Assert.Single(await _sqs.Receive(url)).Body);
    }

    [Fact]
    public async Task A_queue_of_another_account_is_reached_through_its_url_and_owner_id()
    {
        var other = nephele.Sqs("111122223333");
        var url = (await other.CreateQueueAsync("shared-across")).QueueUrl;
        Assert.Contains("/111122223333/shared-across", url);
        Assert.Equal(url, (await _sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = "shared-across", QueueOwnerAWSAccountId = "111122223333" })).QueueUrl);
        await _sqs.SendMessageAsync(url, "cross-account");
        Assert.Equal("cross-account", Assert.Single(await other.Receive(url)).Body);
    }
}
