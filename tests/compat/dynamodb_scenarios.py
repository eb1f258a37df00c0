"""DynamoDB tables, items, expressions, queries and transactions through boto3 and the AWS CLI."""
import uuid
from decimal import Decimal


def _name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _table(ddb, name, sort_type=None):
    keys = [{"AttributeName": "pk", "KeyType": "HASH"}]
    attrs = [{"AttributeName": "pk", "AttributeType": "S"}]
    if sort_type:
        keys.append({"AttributeName": "sk", "KeyType": "RANGE"})
        attrs.append({"AttributeName": "sk", "AttributeType": sort_type})
    ddb.create_table(TableName=name, KeySchema=keys, AttributeDefinitions=attrs, BillingMode="PAY_PER_REQUEST")
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})


def boto3_resource_put_get_update_query(c):
    import boto3
    ddb = c.boto3("dynamodb")
    name = _name("compat")
    _table(ddb, name, "N")
    resource = boto3.resource("dynamodb", endpoint_url=c.endpoint, region_name="us-east-1",
                              aws_access_key_id="test", aws_secret_access_key="test")
    table = resource.Table(name)
    for i in range(5):
        table.put_item(Item={"pk": "p", "sk": i, "price": Decimal("1.10") * i, "tags": {"a", "b"}})
    got = table.get_item(Key={"pk": "p", "sk": 2}, ConsistentRead=True)["Item"]
    assert got["price"] == Decimal("2.2") and got["tags"] == {"a", "b"}, got
    updated = table.update_item(Key={"pk": "p", "sk": 2}, UpdateExpression="SET price = price + :d ADD hits :one",
                                ExpressionAttributeValues={":d": Decimal("0.8"), ":one": 1}, ReturnValues="UPDATED_NEW")
    assert updated["Attributes"] == {"price": Decimal("3"), "hits": Decimal("1")}, updated
    from boto3.dynamodb.conditions import Key
    page = table.query(KeyConditionExpression=Key("pk").eq("p") & Key("sk").between(1, 3), ScanIndexForward=False)
    assert [int(i["sk"]) for i in page["Items"]] == [3, 2, 1], page


def boto3_condition_failure_and_validation_errors(c):
    import botocore.exceptions
    ddb = c.boto3("dynamodb")
    name = _name("cond")
    _table(ddb, name)
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    try:
        ddb.put_item(TableName=name, Item={"pk": {"S": "a"}}, ConditionExpression="attribute_not_exists(pk)",
                     ReturnValuesOnConditionCheckFailure="ALL_OLD")
        raise AssertionError("expected ConditionalCheckFailedException")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "ConditionalCheckFailedException", e.response
        assert e.response["Item"] == {"pk": {"S": "a"}, "v": {"N": "1"}}, e.response
    try:
        ddb.update_item(TableName=name, Key={"pk": {"S": "a"}}, UpdateExpression="SET v = :v",
                        ExpressionAttributeValues={":v": {"N": "1"}, ":x": {"N": "2"}})
        raise AssertionError("expected ValidationException")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "ValidationException", e.response
        assert e.response["Error"]["Message"] == "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}", e.response


def boto3_transaction_cancellation_reasons(c):
    import botocore.exceptions
    ddb = c.boto3("dynamodb")
    name = _name("tx")
    _table(ddb, name)
    ddb.put_item(TableName=name, Item={"pk": {"S": "taken"}})
    try:
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": name, "Item": {"pk": {"S": "new"}}}},
            {"Put": {"TableName": name, "Item": {"pk": {"S": "taken"}}, "ConditionExpression": "attribute_not_exists(pk)"}},
        ])
        raise AssertionError("expected TransactionCanceledException")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "TransactionCanceledException", e.response
        assert [r["Code"] for r in e.response["CancellationReasons"]] == ["None", "ConditionalCheckFailed"], e.response
    assert "Item" not in ddb.get_item(TableName=name, Key={"pk": {"S": "new"}})


def cli_table_lifecycle_and_items(c):
    name = _name("cli")
    c.cli("dynamodb", "create-table", "--table-name", name, "--billing-mode", "PAY_PER_REQUEST",
          "--attribute-definitions", "AttributeName=pk,AttributeType=S", "--key-schema", "AttributeName=pk,KeyType=HASH")
    c.cli("dynamodb", "wait", "table-exists", "--table-name", name)
    c.cli("dynamodb", "put-item", "--table-name", name, "--item", '{"pk": {"S": "a"}, "n": {"N": "01.50"}}')
    got = c.cli("dynamodb", "get-item", "--table-name", name, "--key", '{"pk": {"S": "a"}}')
    assert got["Item"]["n"] == {"N": "1.5"}, got
    scanned = c.cli("dynamodb", "scan", "--table-name", name)
    assert scanned["Count"] == 1, scanned
    described = c.cli("dynamodb", "describe-table", "--table-name", name)["Table"]
    assert described["TableStatus"] == "ACTIVE" and described["ItemCount"] == 1, described
    c.cli("dynamodb", "delete-table", "--table-name", name)
    c.cli("dynamodb", "describe-table", "--table-name", name, expect_error=True)


DYNAMODB_SCENARIOS = [(f.__name__, f) for f in [
    boto3_resource_put_get_update_query,
    boto3_condition_failure_and_validation_errors,
    boto3_transaction_cancellation_reasons,
    cli_table_lifecycle_and_items,
]]
