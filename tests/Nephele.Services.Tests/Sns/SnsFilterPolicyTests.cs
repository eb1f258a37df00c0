namespace Nephele.Services.Tests.Sns;

public sealed class SnsFilterPolicyTests(NepheleFixture nephele) : SnsTestBase(nephele)
{
    /// <summary>Publishes each message (body = its name) with its attributes and returns the names the filtered queue got.</summary>
    private async Task<List<string>> Delivered(string policy, string scope, params (string Body, (string Name, string Type, string Value)[] Attributes)[] messages)
    {
        var topic = await NewTopic();
        var (queue, _) = await SubscribedQueue(topic, new Dictionary<string, string>
        {
            ["RawMessageDelivery"] = "true",
            ["FilterPolicy"] = policy,
            ["FilterPolicyScope"] = scope,
        });
        foreach (var (body, attributes) in messages) await Sns.Publish(topic, body, SnsClient.Attributes(attributes));
        return [.. (await Drain(queue)).Select(m => m.Body).Order()];
    }

    private static (string, (string, string, string)[]) M(string body, params (string, string, string)[] attributes) => (body, attributes);

    [Fact]
    public async Task Exact_prefix_suffix_and_ignore_case_match_string_attributes()
    {
        Assert.Equal(["a", "c"], await Delivered("""{"colour":["red","blue"]}""", "MessageAttributes",
            M("a", ("colour", "String", "red")), M("b", ("colour", "String", "green")), M("c", ("colour", "String", "blue")), M("d")));
        Assert.Equal(["a"], await Delivered("""{"city":[{"prefix":"Lon"}]}""", "MessageAttributes",
            M("a", ("city", "String", "London")), M("b", ("city", "String", "Paris"))));
        Assert.Equal(["b"], await Delivered("""{"file":[{"suffix":".png"}]}""", "MessageAttributes",
            M("a", ("file", "String", "x.jpg")), M("b", ("file", "String", "y.png"))));
        Assert.Equal(["a", "b"], await Delivered("""{"state":[{"equals-ignore-case":"DONE"}]}""", "MessageAttributes",
            M("a", ("state", "String", "done")), M("b", ("state", "String", "Done")), M("c", ("state", "String", "open"))));
    }

    [Fact]
    public async Task Anything_but_excludes_values_lists_and_prefixes_but_needs_the_attribute()
    {
        Assert.Equal(["b", "c"], await Delivered("""{"colour":[{"anything-but":"red"}]}""", "MessageAttributes",
            M("a", ("colour", "String", "red")), M("b", ("colour", "String", "blue")), M("c", ("colour", "String", "green")), M("d")));
        Assert.Equal(["c"], await Delivered("""{"colour":[{"anything-but":["red","blue"]}]}""", "MessageAttributes",
            M("a", ("colour", "String", "red")), M("b", ("colour", "String", "blue")), M("c", ("colour", "String", "green"))));
        Assert.Equal(["b"], await Delivered("""{"event":[{"anything-but":{"prefix":"order-"}}]}""", "MessageAttributes",
            M("a", ("event", "String", "order-created")), M("b", ("event", "String", "user-created"))));
    }

    [Fact]
    public async Task Numeric_conditions_match_number_attributes_only()
    {
        Assert.Equal(["b", "c"], await Delivered("""{"price":[{"numeric":[">",10,"<=",100]}]}""", "MessageAttributes",
            M("a", ("price", "Number", "10")), M("b", ("price", "Number", "10.5")), M("c", ("price", "Number", "100")),
            M("d", ("price", "Number", "101")), M("e", ("price", "String", "50"))));
        Assert.Equal(["a"], await Delivered("""{"count":[5]}""", "MessageAttributes",
            M("a", ("count", "Number", "5.0")), M("b", ("count", "Number", "6"))));
    }

    [Fact]
    public async Task Exists_cidr_string_arrays_and_or_are_supported()
    {
        Assert.Equal(["b"], await Delivered("""{"trace":[{"exists":false}]}""", "MessageAttributes",
            M("a", ("trace", "String", "x")), M("b")));
        Assert.Equal(["a"], await Delivered("""{"trace":[{"exists":true}]}""", "MessageAttributes",
            M("a", ("trace", "String", "x")), M("b")));
        Assert.Equal(["a"], await Delivered("""{"source":[{"cidr":"10.0.0.0/24"}]}""", "MessageAttributes",
            M("a", ("source", "String", "10.0.0.42")), M("b", ("source", "String", "10.0.1.1"))));
        Assert.Equal(["a"], await Delivered("""{"tags":["urgent"]}""", "MessageAttributes",
            M("a", ("tags", "String.Array", """["low","urgent"]""")), M("b", ("tags", "String.Array", """["low"]"""))));
        Assert.Equal(["a", "b"], await Delivered("""{"$or":[{"colour":["red"]},{"size":[{"numeric":[">",5]}]}]}""", "MessageAttributes",
            M("a", ("colour", "String", "red")), M("b", ("size", "Number", "9")), M("c", ("colour", "String", "blue"), ("size", "Number", "1"))));
    }

    [Fact]
    public async Task Every_key_of_a_policy_must_match()
    {
        Assert.Equal(["a"], await Delivered("""{"colour":["red"],"size":["big"]}""", "MessageAttributes",
            M("a", ("colour", "String", "red"), ("size", "String", "big")), M("b", ("colour", "String", "red"))));
    }

    [Fact]
    public async Task Message_body_scope_matches_nested_json_and_arrays()
    {
        Assert.Equal(["""{"order":{"items":[{"sku":"a-1"},{"sku":"b-2"}],"total":30}}""", """{"order":{"total":99}}"""],
            await Delivered("""{"order":{"$or":[{"items":{"sku":[{"prefix":"b-"}]}},{"total":[{"numeric":[">",50]}]}]}}""", "MessageBody",
                M("""{"order":{"items":[{"sku":"a-1"},{"sku":"b-2"}],"total":30}}"""), M("""{"order":{"total":99}}"""),
                M("""{"order":{"items":[{"sku":"a-1"}],"total":3}}"""), M("not json")));
    }

    [Theory]
    [InlineData("""{"a":"b"}""", "Invalid parameter: FilterPolicy: \"a\" must be an object or an array")]
    [InlineData("""{"a":[]}""", "Invalid parameter: FilterPolicy: Empty arrays are not allowed")]
    [InlineData("""{"a":[{"numeric":[">","x"]}]}""", "Invalid parameter: FilterPolicy: Value of > must be numeric")]
    [InlineData("""{"a":[{"numeric":["<",5,">",1]}]}""", "Invalid parameter: FilterPolicy: Too many elements in numeric expression")]
    [InlineData("""{"a":[{"numeric":[">",5,"<",1]}]}""", "Invalid parameter: FilterPolicy: Bottom must be less than top")]
    [InlineData("""{"a":[{"exists":"yes"}]}""", "Invalid parameter: FilterPolicy: exists match pattern must be either true or false.")]
    [InlineData("""{"a":[{"prefix":1}]}""", "Invalid parameter: FilterPolicy: prefix match pattern must be a string")]
    [InlineData("""{"a":[{"wildcard":"x*"}]}""", "Invalid parameter: FilterPolicy: Unrecognized match type wildcard")]
    [InlineData("""{"a":[{"cidr":"10.0.0.0"}]}""", "Invalid parameter: FilterPolicy: Malformed CIDR, one '/' required")]
    [InlineData("""{"a":[["x"]]}""", "Invalid parameter: FilterPolicy: Match value must be String, number, true, false, or null")]
    [InlineData("""{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}""", "Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys")]
    public async Task Invalid_filter_policies_are_refused_with_awss_messages(string policy, string expected)
    {
        var topic = await NewTopic();
        var (_, arn) = await SubscribedQueue(topic);
        var (_, code, message) = await Sns.Fail("SetSubscriptionAttributes", ("SubscriptionArn", arn), ("AttributeName", "FilterPolicy"), ("AttributeValue", policy));
        Assert.Equal("InvalidParameter", code);
        Assert.Equal(expected, message);
        // On Subscribe the same reasons come after "Attributes Reason:".
        var (_, queueArn) = await NewQueue();
        (_, _, message) = await Sns.Fail("Subscribe", [("TopicArn", topic), ("Protocol", "sqs"), ("Endpoint", queueArn),
            .. SnsClient.MapParameters("Attributes", new Dictionary<string, string> { ["FilterPolicy"] = policy })]);
        Assert.Equal(expected.Replace("Invalid parameter: ", "Invalid parameter: Attributes Reason: ", StringComparison.Ordinal), message);
    }

    [Fact]
    public async Task Too_complex_policy_is_refused()
    {
        var topic = await NewTopic();
        var (_, arn) = await SubscribedQueue(topic);
        var values = string.Join(",", Enumerable.Range(0, 20).Select(i => $"\"v{i}\""));
        var policy = $$"""{"a":[{{values}}],"b":[{{values}}]}""";
        Assert.Equal("Invalid parameter: FilterPolicy: Filter policy is too complex",
            (await Sns.Fail("SetSubscriptionAttributes", ("SubscriptionArn", arn), ("AttributeName", "FilterPolicy"), ("AttributeValue", policy))).Message);
    }
}
