"""Asynchronous Lambda through boto3 and the AWS CLI: SNS subscriptions, destinations, event invoke configs and
SQS event source mappings (the functions really run; results are observed through SQS queues)."""
import json
import time
import uuid

from lambda_scenarios import ROLE, _name, _zip

# Returns what it got; fails when asked to.
ECHO = """
exports.handler = async (event) => {
  if (event.fail) { throw new Error('asked to fail'); }
  return { got: event };
};
"""

# For event source mappings: reports the records whose body is "bad" as failed.
BATCH = """
exports.handler = async (event) => ({
  batchItemFailures: event.Records.filter(r => r.body === 'bad').map(r => ({ itemIdentifier: r.messageId })),
});
"""


def _function(c, prefix, code):
    aws = c.boto3("lambda")
    name = _name(prefix)
    aws.create_function(FunctionName=name, Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                        Code={"ZipFile": _zip({"index.js": code})})
    aws.get_waiter("function_active_v2").wait(FunctionName=name)
    return name, aws.get_function(FunctionName=name)["Configuration"]["FunctionArn"]


def _queue(c, **attributes):
    sqs = c.boto3("sqs")
    url = sqs.create_queue(QueueName=f"q-{uuid.uuid4().hex[:10]}", Attributes=attributes)["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _receive_one(c, url, seconds=30):
    sqs = c.boto3("sqs")
    deadline = time.time() + seconds
    while time.time() < deadline:
        messages = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1, MessageAttributeNames=["All"]).get("Messages", [])
        if messages:
            return messages[0]
    raise AssertionError(f"nothing arrived in {url}")


def boto3_event_invoke_config_and_destinations(c):
    aws = c.boto3("lambda")
    name, arn = _function(c, "dest", ECHO)
    ok_url, ok_arn = _queue(c)
    fail_url, fail_arn = _queue(c)
    config = aws.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=0, DestinationConfig={
        "OnSuccess": {"Destination": ok_arn}, "OnFailure": {"Destination": fail_arn}})
    assert config["FunctionArn"] == f"{arn}:$LATEST", config
    assert aws.get_function_event_invoke_config(FunctionName=name)["MaximumRetryAttempts"] == 0
    try:
        aws.put_function_event_invoke_config(FunctionName=name)
        raise AssertionError("an empty config was accepted")
    except aws.exceptions.InvalidParameterValueException:
        pass

    assert aws.invoke(FunctionName=name, InvocationType="Event", Payload=json.dumps({"n": 1}))["StatusCode"] == 202
    success = json.loads(_receive_one(c, ok_url)["Body"])
    assert success["requestContext"]["condition"] == "Success", success
    assert success["responsePayload"] == {"got": {"n": 1}}, success

    aws.invoke(FunctionName=name, InvocationType="Event", Payload=json.dumps({"fail": True}))
    failure = json.loads(_receive_one(c, fail_url)["Body"])
    assert failure["requestContext"]["condition"] == "RetriesExhausted", failure
    assert failure["responseContext"]["functionError"] == "Unhandled", failure
    assert failure["requestPayload"] == {"fail": True}, failure

    listed = aws.list_function_event_invoke_configs(FunctionName=name)["FunctionEventInvokeConfigs"]
    assert len(listed) == 1, listed
    aws.delete_function_event_invoke_config(FunctionName=name)


def boto3_sns_topic_invokes_a_function(c):
    sns = c.boto3("sns")
    aws = c.boto3("lambda")
    name, arn = _function(c, "snsfn", ECHO)
    ok_url, ok_arn = _queue(c)
    aws.put_function_event_invoke_config(FunctionName=name, DestinationConfig={"OnSuccess": {"Destination": ok_arn}})
    topic = sns.create_topic(Name=_name("topic"))["TopicArn"]
    subscription = sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=arn, ReturnSubscriptionArn=True)["SubscriptionArn"]
    sns.publish(TopicArn=topic, Message="to the function", Subject="hi")
    record = json.loads(_receive_one(c, ok_url)["Body"])
    event = record["requestPayload"]["Records"][0]
    assert event["EventSource"] == "aws:sns" and event["EventSubscriptionArn"] == subscription, event
    assert event["Sns"]["Message"] == "to the function" and event["Sns"]["Subject"] == "hi", event


def boto3_sqs_event_source_mapping_with_partial_batch_failures(c):
    aws = c.boto3("lambda")
    sqs = c.boto3("sqs")
    name, _ = _function(c, "esm", BATCH)
    url, queue_arn = _queue(c, VisibilityTimeout="300")
    sqs.send_message(QueueUrl=url, MessageBody="good")
    sqs.send_message(QueueUrl=url, MessageBody="bad")
    mapping = aws.create_event_source_mapping(FunctionName=name, EventSourceArn=queue_arn, BatchSize=10,
                                              FunctionResponseTypes=["ReportBatchItemFailures"])
    assert mapping["State"] == "Creating", mapping
    assert aws.get_event_source_mapping(UUID=mapping["UUID"])["State"] == "Enabled"
    # The good message is deleted; the bad one stays in flight until its visibility timeout ends.
    deadline = time.time() + 30
    while True:
        a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
        if a["ApproximateNumberOfMessages"] == "0" and a["ApproximateNumberOfMessagesNotVisible"] == "1":
            break
        assert time.time() < deadline, a
        time.sleep(0.05)
    assert [m["UUID"] for m in aws.list_event_source_mappings(FunctionName=name)["EventSourceMappings"]] == [mapping["UUID"]]
    assert aws.delete_event_source_mapping(UUID=mapping["UUID"])["State"] == "Deleting"


def cli_event_source_mapping_validation(c):
    name, _ = _function(c, "esmcli", BATCH)
    _, queue_arn = _queue(c)
    error = c.cli("lambda", "create-event-source-mapping", "--function-name", name, "--event-source-arn", queue_arn,
                  "--batch-size", "100", expect_error=True)
    assert "Maximum batch window in seconds must be greater than 0" in error["stderr"], error
    created = c.cli("lambda", "create-event-source-mapping", "--function-name", name, "--event-source-arn", queue_arn,
                    "--batch-size", "100", "--maximum-batching-window-in-seconds", "2", "--no-enabled")
    assert created["BatchSize"] == 100 and created["MaximumBatchingWindowInSeconds"] == 2, created
    assert c.cli("lambda", "get-event-source-mapping", "--uuid", created["UUID"])["State"] == "Disabled"
    c.cli("lambda", "delete-event-source-mapping", "--uuid", created["UUID"])


LAMBDA_ASYNC_SCENARIOS = [(f.__name__, f) for f in [
    boto3_event_invoke_config_and_destinations,
    boto3_sns_topic_invokes_a_function,
    boto3_sqs_event_source_mapping_with_partial_batch_failures,
    cli_event_source_mapping_validation,
]]
