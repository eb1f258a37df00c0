"""SNS topics, subscriptions and fan-out to SQS through boto3 and the AWS CLI."""
import json
import uuid
import urllib.parse
import urllib.request


def _name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _queue(c, fifo=False):
    sqs = c.boto3("sqs")
    name = _name("snsq") + (".fifo" if fifo else "")
    url = sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"} if fifo else {})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return sqs, url, arn


def boto3_publish_fans_out_to_queues_in_the_envelope(c):
    sns = c.boto3("sns")
    topic = sns.create_topic(Name=_name("topic"), Tags=[{"Key": "team", "Value": "compat"}])["TopicArn"]
    sqs, url, arn = _queue(c)
    sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, ReturnSubscriptionArn=True)["SubscriptionArn"]
    assert sub.startswith(topic + ":"), sub
    sent = sns.publish(TopicArn=topic, Message="hello", Subject="Hi",
                       MessageAttributes={"colour": {"DataType": "String", "StringValue": "blue"},
                                          "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    envelope = json.loads(got[0]["Body"])
    assert envelope["Type"] == "Notification" and envelope["MessageId"] == sent["MessageId"], envelope
    assert envelope["Message"] == "hello" and envelope["Subject"] == "Hi", envelope
    assert envelope["MessageAttributes"]["colour"] == {"Type": "String", "Value": "blue"}, envelope
    assert envelope["MessageAttributes"]["blob"]["Value"] == "AAE=", envelope
    # The certificate the envelope points at is served by Nephele.
    with urllib.request.urlopen(envelope["SigningCertURL"]) as response:
        assert b"BEGIN CERTIFICATE" in response.read()
    assert sns.list_tags_for_resource(ResourceArn=topic)["Tags"] == [{"Key": "team", "Value": "compat"}]


def boto3_raw_delivery_with_filter_policy(c):
    sns = c.boto3("sns")
    topic = sns.create_topic(Name=_name("filtered"))["TopicArn"]
    sqs, url, arn = _queue(c)
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={
        "RawMessageDelivery": "true",
        "FilterPolicy": json.dumps({"price": [{"numeric": [">", 10]}], "colour": [{"anything-but": ["red"]}]}),
    })
    for body, price, colour in [("cheap", "5", "blue"), ("red", "50", "red"), ("match", "50", "blue")]:
        sns.publish(TopicArn=topic, Message=body, MessageAttributes={
            "price": {"DataType": "Number", "StringValue": price}, "colour": {"DataType": "String", "StringValue": colour}})
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"])["Messages"]
    assert [m["Body"] for m in got] == ["match"], got
    assert got[0]["MessageAttributes"]["price"] == {"DataType": "Number", "StringValue": "50"}, got


def boto3_fifo_topic_to_fifo_queue(c):
    sns = c.boto3("sns")
    topic = sns.create_topic(Name=_name("ordered") + ".fifo",
                             Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "true"})["TopicArn"]
    sqs, url, arn = _queue(c, fifo=True)
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    result = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "a", "Message": "one", "MessageGroupId": "g"},
        {"Id": "b", "Message": "two", "MessageGroupId": "g"},
    ])
    assert [s["Id"] for s in result["Successful"]] == ["a", "b"], result
    assert all("SequenceNumber" in s for s in result["Successful"]), result
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in got] == ["one", "two"], got


def boto3_errors_match_aws(c):
    import botocore.exceptions
    sns = c.boto3("sns")
    try:
        sns.get_topic_attributes(TopicArn="arn:aws:sns:us-east-1:000000000000:" + _name("missing"))
        raise AssertionError("expected NotFound")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "NotFound", e.response
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    topic = sns.create_topic(Name=_name("errors"))["TopicArn"]
    try:
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint="arn:aws:sqs:us-east-1:000000000000:x", Attributes={
            "FilterPolicy": json.dumps({"a": [{"numeric": [">", "x"]}]})})
        raise AssertionError("expected InvalidParameter")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "InvalidParameter", e.response
        assert e.response["Error"]["Message"] == "Invalid parameter: Attributes Reason: FilterPolicy: Value of > must be numeric", e.response


def cli_topic_lifecycle(c):
    name = _name("cli")
    topic = c.cli("sns", "create-topic", "--name", name)["TopicArn"]
    c.cli("sns", "set-topic-attributes", "--topic-arn", topic, "--attribute-name", "DisplayName", "--attribute-value", "CLI")
    attributes = c.cli("sns", "get-topic-attributes", "--topic-arn", topic)["Attributes"]
    assert attributes["DisplayName"] == "CLI" and attributes["TopicArn"] == topic, attributes
    assert topic in [t["TopicArn"] for t in c.cli("sns", "list-topics")["Topics"]]
    sent = c.cli("sns", "publish", "--topic-arn", topic, "--message", "from the cli")
    assert len(sent["MessageId"]) == 36, sent
    c.cli("sns", "delete-topic", "--topic-arn", topic)
    c.cli("sns", "get-topic-attributes", "--topic-arn", topic, expect_error=True)


def boto3_sms_opt_out_and_opt_in(c):
    sns = c.boto3("sns")
    phone = "+1555" + uuid.uuid4().int.__str__()[:7]
    assert sns.check_if_phone_number_is_opted_out(phoneNumber=phone)["isOptedOut"] is False
    # The recipient's STOP reply, simulated through Nephele's internal endpoint.
    request = urllib.request.Request(f"{c.endpoint}/_aws/sns/sms-opt-outs?phoneNumber={urllib.parse.quote(phone)}", method="POST")
    with urllib.request.urlopen(request) as response:
        assert response.status == 204
    assert sns.check_if_phone_number_is_opted_out(phoneNumber=phone)["isOptedOut"] is True
    assert phone in sns.list_phone_numbers_opted_out()["phoneNumbers"]
    sns.opt_in_phone_number(phoneNumber=phone)
    assert sns.check_if_phone_number_is_opted_out(phoneNumber=phone)["isOptedOut"] is False


SNS_SCENARIOS = [(f.__name__, f) for f in [
    boto3_publish_fans_out_to_queues_in_the_envelope,
    boto3_raw_delivery_with_filter_policy,
    boto3_fifo_topic_to_fifo_queue,
    boto3_errors_match_aws,
    cli_topic_lifecycle,
    boto3_sms_opt_out_and_opt_in,
]]
