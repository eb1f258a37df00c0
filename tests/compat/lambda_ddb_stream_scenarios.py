"""Lambda event source mappings on DynamoDB streams through boto3: validation, and a failing batch reported to an
on-failure queue (the function really runs)."""
import json
import uuid

from lambda_async_scenarios import _function, _queue, _receive_one

# Fails on every record whose key is "bad".
STREAM = """
exports.handler = async (event) => {
  if (event.Records.some(r => r.dynamodb.Keys.pk.S === 'bad')) { throw new Error('bad record'); }
  return {};
};
"""


def boto3_dynamodb_stream_mapping_reports_a_failed_batch(c):
    aws = c.boto3("lambda")
    ddb = c.boto3("dynamodb")
    name, arn = _function(c, "ddbstream", STREAM)
    fail_url, fail_arn = _queue(c)
    table = f"esm-{uuid.uuid4().hex[:10]}"
    stream_arn = ddb.create_table(
        TableName=table, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})["TableDescription"]["LatestStreamArn"]
    try:
        aws.create_event_source_mapping(FunctionName=name, EventSourceArn=stream_arn)
        raise AssertionError("a stream mapping without StartingPosition was accepted")
    except aws.exceptions.InvalidParameterValueException as e:
        assert "startingPosition" in str(e), e
    mapping = aws.create_event_source_mapping(
        FunctionName=name, EventSourceArn=stream_arn, StartingPosition="TRIM_HORIZON", MaximumRetryAttempts=0,
        DestinationConfig={"OnFailure": {"Destination": fail_arn}})
    assert mapping["StartingPosition"] == "TRIM_HORIZON" and mapping["BatchSize"] == 100, mapping
    assert mapping["DestinationConfig"]["OnFailure"]["Destination"] == fail_arn, mapping
    ddb.put_item(TableName=table, Item={"pk": {"S": "bad"}})
    failure = json.loads(_receive_one(c, fail_url)["Body"])
    assert failure["requestContext"]["condition"] == "RetryAttemptsExhausted", failure
    info = failure["DDBStreamBatchInfo"]
    assert info["batchSize"] == 1 and info["streamArn"] == stream_arn, failure
    assert aws.get_event_source_mapping(UUID=mapping["UUID"])["LastProcessingResult"] == "PROBLEM: Function call failed"
    aws.delete_event_source_mapping(UUID=mapping["UUID"])


LAMBDA_DDB_STREAM_SCENARIOS = [(f.__name__, f) for f in [
    boto3_dynamodb_stream_mapping_reports_a_failed_batch,
]]
