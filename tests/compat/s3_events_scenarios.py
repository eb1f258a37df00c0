"""S3 event notifications, lifecycle execution and version listing through boto3 and the AWS CLI."""
import json
import urllib.parse
import urllib.request
import uuid

import botocore.exceptions


def _bucket(c, versioned=False):
    s3 = c.boto3("s3")
    name = f"compat-ev-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    if versioned:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return s3, name


def _queue(c):
    sqs = c.boto3("sqs")
    url = sqs.create_queue(QueueName=f"compat-ev-{uuid.uuid4().hex[:12]}")["QueueUrl"]
    return sqs, url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _drain(sqs, url):
    bodies = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=300).get("Messages", [])
        if not messages:
            return bodies
        bodies.extend(json.loads(m["Body"]) for m in messages)


def _advance(c, duration):
    request = urllib.request.Request(c.endpoint + "/_nephele/clock", data=json.dumps({"advance": duration}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request) as response:
        assert response.status == 200


def boto3_notifications_to_sqs_with_test_event_filters_and_records(c):
    s3, bucket = _bucket(c)
    sqs, url, arn = _queue(c)
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={"QueueConfigurations": [{
        "Id": "uploads", "QueueArn": arn, "Events": ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
        "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "in/"}]}}}]})
    test = _drain(sqs, url)
    assert [m["Event"] for m in test] == ["s3:TestEvent"], test
    assert test[0]["Bucket"] == bucket and test[0]["Service"] == "Amazon S3", test

    s3.put_object(Bucket=bucket, Key="in/a b.txt", Body=b"hello")
    s3.put_object(Bucket=bucket, Key="out/skipped.txt", Body=b"x")
    s3.delete_object(Bucket=bucket, Key="in/a b.txt")
    records = [m["Records"][0] for m in _drain(sqs, url)]
    assert sorted(r["eventName"] for r in records) == ["ObjectCreated:Put", "ObjectRemoved:Delete"], records
    put = next(r for r in records if r["eventName"] == "ObjectCreated:Put")
    assert put["eventVersion"] == "2.1" and put["eventSource"] == "aws:s3" and put["awsRegion"] == "us-east-1", put
    assert put["s3"]["configurationId"] == "uploads" and put["s3"]["bucket"]["arn"] == f"arn:aws:s3:::{bucket}", put
    assert urllib.parse.unquote_plus(put["s3"]["object"]["key"]) == "in/a b.txt", put
    assert put["s3"]["object"]["size"] == 5 and put["s3"]["object"]["eTag"] == "5d41402abc4b2a76b9719d911017c592", put


def boto3_notification_to_a_missing_queue_is_refused(c):
    s3, bucket = _bucket(c)
    try:
        s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={"QueueConfigurations": [{
            "QueueArn": "arn:aws:sqs:us-east-1:000000000000:compat-no-such-queue", "Events": ["s3:ObjectCreated:*"]}]})
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "InvalidArgument", e.response
        assert e.response["Error"]["Message"] == "Unable to validate the following destination configurations", e.response
    else:
        raise AssertionError("expected InvalidArgument")
    assert "QueueConfigurations" not in s3.get_bucket_notification_configuration(Bucket=bucket)


def boto3_lifecycle_expiration_runs_when_the_clock_moves(c):
    s3, bucket = _bucket(c)
    s3.put_object(Bucket=bucket, Key="tmp/old", Body=b"x")
    s3.put_object(Bucket=bucket, Key="keep", Body=b"y")
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
        {"ID": "tmp", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 1}}]})
    head = s3.head_object(Bucket=bucket, Key="tmp/old")
    assert 'rule-id="tmp"' in head["Expiration"], head
    _advance(c, "P2DT1H")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert keys == ["keep"], keys


def cli_list_object_versions_interleaves_delete_markers(c):
    s3, bucket = _bucket(c, versioned=True)
    s3.put_object(Bucket=bucket, Key="a", Body=b"1")
    marker = s3.delete_object(Bucket=bucket, Key="a")["VersionId"]
    s3.put_object(Bucket=bucket, Key="b", Body=b"2")
    listed = c.cli("s3api", "list-object-versions", "--bucket", bucket)
    assert [m["VersionId"] for m in listed["DeleteMarkers"]] == [marker], listed
    assert [v["Key"] for v in listed["Versions"]] == ["a", "b"], listed
    page = s3.list_object_versions(Bucket=bucket, MaxKeys=1)
    assert page["IsTruncated"] and page["NextKeyMarker"] == "a" and page["NextVersionIdMarker"] == marker, page


def boto3_access_logs_are_written_to_the_target_bucket(c):
    s3, source = _bucket(c)
    _, target = _bucket(c)
    s3.put_bucket_logging(Bucket=source, BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": target, "TargetPrefix": "access/"}})
    s3.put_object(Bucket=source, Key="logged.txt", Body=b"x")
    s3.get_object(Bucket=source, Key="logged.txt")["Body"].read()
    _advance(c, "PT1M")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=target, Prefix="access/").get("Contents", [])]
    text = "".join(s3.get_object(Bucket=target, Key=k)["Body"].read().decode() for k in keys)
    assert " REST.PUT.OBJECT logged.txt " in text and " REST.GET.OBJECT logged.txt " in text, text


S3_EVENTS_SCENARIOS = [(f.__name__, f) for f in [
    boto3_notifications_to_sqs_with_test_event_filters_and_records,
    boto3_notification_to_a_missing_queue_is_refused,
    boto3_lifecycle_expiration_runs_when_the_clock_moves,
    cli_list_object_versions_interleaves_delete_markers,
    boto3_access_logs_are_written_to_the_target_bucket,
]]
