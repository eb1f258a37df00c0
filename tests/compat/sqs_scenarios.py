"""SQS queues and messages through boto3 and the AWS CLI."""
import uuid


def _name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def boto3_create_send_receive_delete(c):
    sqs = c.boto3("sqs")
    url = sqs.create_queue(QueueName=_name("compat"), Attributes={"VisibilityTimeout": "45"})["QueueUrl"]
    # botocore checks both MD5s and raises on a mismatch.
    sent = sqs.send_message(QueueUrl=url, MessageBody="from boto3",
                            MessageAttributes={"kind": {"DataType": "String", "StringValue": "compat"},
                                               "raw": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"],
                              MessageSystemAttributeNames=["All"])["Messages"]
    assert len(got) == 1 and got[0]["Body"] == "from boto3", got
    assert got[0]["MessageId"] == sent["MessageId"]
    assert got[0]["MessageAttributes"]["raw"]["BinaryValue"] == b"\x00\x01", got
    assert got[0]["Attributes"]["ApproximateReceiveCount"] == "1", got
    sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["VisibilityTimeout"] == "45", attributes
    assert attributes["ApproximateNumberOfMessagesNotVisible"] == "0", attributes


def boto3_missing_queue_is_QueueDoesNotExist(c):
    import botocore.exceptions
    sqs = c.boto3("sqs")
    try:
        sqs.get_queue_url(QueueName=_name("missing"))
    except botocore.exceptions.ClientError as e:
        # botocore maps the query-compatible code back: what older clients matched on still matches.
        assert e.response["Error"]["Code"] in ("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"), e.response
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        return
    raise AssertionError("expected QueueDoesNotExist")


def boto3_batch_send_reports_each_entry(c):
    sqs = c.boto3("sqs")
    url = sqs.create_queue(QueueName=_name("batch"))["QueueUrl"]
    result = sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": "ok", "MessageBody": "fine"},
        {"Id": "late", "MessageBody": "too late", "DelaySeconds": 901},
    ])
    assert [s["Id"] for s in result["Successful"]] == ["ok"], result
    assert [f["Id"] for f in result["Failed"]] == ["late"], result


def cli_create_send_receive_delete(c):
    name = _name("cli")
    url = c.cli("sqs", "create-queue", "--queue-name", name)["QueueUrl"]
    assert url.endswith(f"/000000000000/{name}"), url
    sent = c.cli("sqs", "send-message", "--queue-url", url, "--message-body", "from the cli")
    got = c.cli("sqs", "receive-message", "--queue-url", url, "--attribute-names", "All")["Messages"]
    assert got[0]["Body"] == "from the cli" and got[0]["MessageId"] == sent["MessageId"], got
    c.cli("sqs", "delete-message", "--queue-url", url, "--receipt-handle", got[0]["ReceiptHandle"])
    listed = c.cli("sqs", "list-queues", "--queue-name-prefix", name)
    assert listed["QueueUrls"] == [url], listed
    c.cli("sqs", "delete-queue", "--queue-url", url)
    c.cli("sqs", "get-queue-url", "--queue-name", name, expect_error=True)


SQS_SCENARIOS = [(f.__name__, f) for f in [
    boto3_create_send_receive_delete,
    boto3_missing_queue_is_QueueDoesNotExist,
    boto3_batch_send_reports_each_entry,
    cli_create_send_receive_delete,
]]
