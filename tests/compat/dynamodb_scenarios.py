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


def boto3_backup_and_restore(c):
    import botocore.exceptions
    ddb = c.boto3("dynamodb")
    name = _name("bak")
    _table(ddb, name)
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    details = ddb.create_backup(TableName=name, BackupName="nightly")["BackupDetails"]
    assert details["BackupStatus"] == "CREATING" and details["BackupType"] == "USER", details
    ddb.put_item(TableName=name, Item={"pk": {"S": "b"}})
    described = ddb.describe_backup(BackupArn=details["BackupArn"])["BackupDescription"]
    assert described["BackupDetails"]["BackupStatus"] == "AVAILABLE", described
    assert described["SourceTableDetails"]["ItemCount"] == 1, described
    listed = ddb.list_backups(TableName=name)["BackupSummaries"]
    assert [b["BackupArn"] for b in listed] == [details["BackupArn"]], listed
    target = _name("restored")
    restored = ddb.restore_table_from_backup(TargetTableName=target, BackupArn=details["BackupArn"])["TableDescription"]
    assert restored["RestoreSummary"]["SourceBackupArn"] == details["BackupArn"], restored
    ddb.get_waiter("table_exists").wait(TableName=target, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    items = ddb.scan(TableName=target)["Items"]
    assert items == [{"pk": {"S": "a"}, "v": {"N": "1"}}], items
    try:
        ddb.restore_table_from_backup(TargetTableName=target, BackupArn=details["BackupArn"])
        raise AssertionError("expected TableAlreadyExistsException")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "TableAlreadyExistsException", e.response
    ddb.delete_backup(BackupArn=details["BackupArn"])
    try:
        ddb.describe_backup(BackupArn=details["BackupArn"])
        raise AssertionError("expected BackupNotFoundException")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "BackupNotFoundException", e.response


def boto3_point_in_time_restore(c):
    ddb = c.boto3("dynamodb")
    name = _name("pitr")
    _table(ddb, name)
    ddb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}})
    target = _name("pitr-r")
    # Five minutes have not passed: the latest restorable time is when PITR was enabled, before the write.
    ddb.restore_table_to_point_in_time(SourceTableName=name, TargetTableName=target, UseLatestRestorableTime=True)
    assert ddb.describe_table(TableName=target)["Table"]["RestoreSummary"]["SourceTableArn"].endswith(name)
    assert ddb.scan(TableName=target)["Items"] == []


def boto3_export_and_import_through_s3(c):
    ddb = c.boto3("dynamodb")
    s3 = c.boto3("s3")
    bucket = _name("ddb-export")
    s3.create_bucket(Bucket=bucket)
    name = _name("exp")
    _table(ddb, name)
    ddb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "n": {"N": "1.5"}, "ss": {"SS": ["x", "y"]}})
    arn = ddb.describe_table(TableName=name)["Table"]["TableArn"]
    export = ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket=bucket, S3Prefix="out")["ExportDescription"]
    done = ddb.describe_export(ExportArn=export["ExportArn"])["ExportDescription"]
    assert done["ExportStatus"] == "COMPLETED" and done["ItemCount"] == 1, done
    export_id = export["ExportArn"].rsplit("/", 1)[1]
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="out/")["Contents"]]
    assert f"out/AWSDynamoDB/{export_id}/manifest-summary.json" in keys, keys
    target = _name("imp")
    imported = ddb.import_table(
        S3BucketSource={"S3Bucket": bucket, "S3KeyPrefix": f"out/AWSDynamoDB/{export_id}/data/"},
        InputFormat="DYNAMODB_JSON", InputCompressionType="GZIP",
        TableCreationParameters={"TableName": target, "BillingMode": "PAY_PER_REQUEST",
                                 "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                                 "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]})["ImportTableDescription"]
    status = ddb.describe_import(ImportArn=imported["ImportArn"])["ImportTableDescription"]
    assert status["ImportStatus"] == "COMPLETED" and status["ImportedItemCount"] == 1, status
    item = ddb.get_item(TableName=target, Key={"pk": {"S": "a"}})["Item"]
    assert item["n"] == {"N": "1.5"} and sorted(item["ss"]["SS"]) == ["x", "y"], item


DYNAMODB_SCENARIOS = [(f.__name__, f) for f in [
    boto3_backup_and_restore,
    boto3_point_in_time_restore,
    boto3_export_and_import_through_s3,
    boto3_resource_put_get_update_query,
    boto3_condition_failure_and_validation_errors,
    boto3_transaction_cancellation_reasons,
    cli_table_lifecycle_and_items,
]]
