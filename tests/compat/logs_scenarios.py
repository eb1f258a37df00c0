"""CloudWatch Logs groups, streams and events through boto3 and the AWS CLI."""
import time
import uuid


def _group():
    return f"/compat/{uuid.uuid4().hex[:10]}"


def boto3_put_get_and_filter_events(c):
    logs = c.boto3("logs")
    group = _group()
    logs.create_log_group(logGroupName=group, tags={"team": "compat"})
    logs.create_log_stream(logGroupName=group, logStreamName="app")
    now = int(time.time() * 1000)
    logs.put_log_events(logGroupName=group, logStreamName="app", logEvents=[
        {"timestamp": now, "message": "ERROR first"},
        {"timestamp": now + 1, "message": '{"level": "INFO", "n": 2}'},
    ])
    got = logs.get_log_events(logGroupName=group, logStreamName="app", startFromHead=True)
    assert [e["message"] for e in got["events"]] == ["ERROR first", '{"level": "INFO", "n": 2}'], got
    found = logs.filter_log_events(logGroupName=group, filterPattern='{ $.n > 1 }')
    assert [e["message"] for e in found["events"]] == ['{"level": "INFO", "n": 2}'], found
    # The paginator follows nextToken until it stops.
    pages = list(logs.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=group))
    assert [g["logGroupName"] for p in pages for g in p["logGroups"]] == [group], pages
    assert logs.list_tags_for_resource(resourceArn=f"arn:aws:logs:us-east-1:000000000000:log-group:{group}")["tags"] == {"team": "compat"}


def boto3_missing_group_is_ResourceNotFound(c):
    import botocore.exceptions
    try:
        c.boto3("logs").delete_log_group(logGroupName=_group())
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "ResourceNotFoundException", e.response
        return
    raise AssertionError("expected ResourceNotFoundException")


def cli_create_and_describe_group(c):
    group = _group()
    c.cli("logs", "create-log-group", "--log-group-name", group)
    c.cli("logs", "put-retention-policy", "--log-group-name", group, "--retention-in-days", "7")
    described = c.cli("logs", "describe-log-groups", "--log-group-name-prefix", group)
    assert described["logGroups"][0]["retentionInDays"] == 7, described


LOGS_SCENARIOS = [(f.__name__, f) for f in [
    boto3_put_get_and_filter_events,
    boto3_missing_group_is_ResourceNotFound,
    cli_create_and_describe_group,
]]
