"""DynamoDB Streams and time to live through boto3 and the AWS CLI."""
import json
import time
import urllib.request
import uuid


def _name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _stream_table(ddb, name, view="NEW_AND_OLD_IMAGES"):
    created = ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                               KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                               AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                               StreamSpecification={"StreamEnabled": True, "StreamViewType": view})
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    return created["TableDescription"]["LatestStreamArn"]


def _read_all(streams, arn):
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = []
    while iterator:
        page = streams.get_records(ShardIterator=iterator)
        if not page["Records"]:
            break
        records += page["Records"]
        iterator = page.get("NextShardIterator")
    return records


def boto3_stream_records_for_item_changes(c):
    ddb, streams = c.boto3("dynamodb"), c.boto3("dynamodbstreams")
    name = _name("strm")
    arn = _stream_table(ddb, name)
    listed = streams.list_streams(TableName=name)["Streams"]
    assert [s["StreamArn"] for s in listed] == [arn], listed
    described = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert described["StreamStatus"] == "ENABLED" and described["TableName"] == name, described
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    ddb.update_item(TableName=name, Key={"pk": {"S": "a"}}, UpdateExpression="SET v = :v",
                    ExpressionAttributeValues={":v": {"N": "2"}})
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "v": {"N": "2"}})  # unchanged: no record
    ddb.delete_item(TableName=name, Key={"pk": {"S": "a"}})
    records = _read_all(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"], records
    modify = records[1]["dynamodb"]
    assert modify["OldImage"]["v"] == {"N": "1"} and modify["NewImage"]["v"] == {"N": "2"}, modify
    assert len(modify["SequenceNumber"]) >= 21 and modify["SizeBytes"] > 0, modify
    assert records[0]["eventSource"] == "aws:dynamodb" and records[0]["eventVersion"] == "1.1", records[0]
    try:
        streams.get_records(ShardIterator="not-an-iterator")
        raise AssertionError("expected ValidationException")
    except streams.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "ValidationException", e.response


def boto3_time_to_live_removes_expired_items(c):
    ddb, streams = c.boto3("dynamodb"), c.boto3("dynamodbstreams")
    name = _name("ttl")
    arn = _stream_table(ddb, name, "KEYS_ONLY")
    ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
    with urllib.request.urlopen(c.endpoint + "/_nephele/clock") as r:
        now = json.load(r)["now"]
    from datetime import datetime
    epoch = int(datetime.fromisoformat(now.replace("Z", "+00:00")).timestamp()) if now else int(time.time())
    ddb.put_item(TableName=name, Item={"pk": {"S": "gone"}, "exp": {"N": str(epoch + 60)}})
    ddb.put_item(TableName=name, Item={"pk": {"S": "kept"}})
    request = urllib.request.Request(c.endpoint + "/_nephele/clock", data=json.dumps({"advance": "PT5M"}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(request).close()
    items = ddb.scan(TableName=name)["Items"]
    assert [i["pk"]["S"] for i in items] == ["kept"], items
    remove = [r for r in _read_all(streams, arn) if r["eventName"] == "REMOVE"]
    assert len(remove) == 1 and remove[0]["userIdentity"] == {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"}, remove


def cli_list_describe_and_read_a_stream(c):
    name = _name("clistrm")
    c.cli("dynamodb", "create-table", "--table-name", name, "--billing-mode", "PAY_PER_REQUEST",
          "--attribute-definitions", "AttributeName=pk,AttributeType=S", "--key-schema", "AttributeName=pk,KeyType=HASH",
          "--stream-specification", "StreamEnabled=true,StreamViewType=NEW_IMAGE")
    c.cli("dynamodb", "put-item", "--table-name", name, "--item", '{"pk": {"S": "x"}}')
    arn = c.cli("dynamodbstreams", "list-streams", "--table-name", name)["Streams"][0]["StreamArn"]
    shard = c.cli("dynamodbstreams", "describe-stream", "--stream-arn", arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = c.cli("dynamodbstreams", "get-shard-iterator", "--stream-arn", arn, "--shard-id", shard,
                     "--shard-iterator-type", "TRIM_HORIZON")["ShardIterator"]
    records = c.cli("dynamodbstreams", "get-records", "--shard-iterator", iterator)["Records"]
    assert [r["dynamodb"]["NewImage"] for r in records] == [{"pk": {"S": "x"}}], records
    c.cli("dynamodbstreams", "describe-stream", "--stream-arn", arn + "x", expect_error=True)


DYNAMODBSTREAMS_SCENARIOS = [(f.__name__, f) for f in [
    boto3_stream_records_for_item_changes,
    boto3_time_to_live_removes_expired_items,
    cli_list_describe_and_read_a_stream,
]]
