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


def _query(logs, group, query, start, end):
    query_id = logs.start_query(logGroupName=group, startTime=start, endTime=end, queryString=query)["queryId"]
    for _ in range(250):
        result = logs.get_query_results(queryId=query_id)
        if result["status"] not in ("Scheduled", "Running"):
            return result
        time.sleep(0.02)
    raise AssertionError("the query did not complete")


def boto3_insights_query_filters_parses_and_aggregates(c):
    import botocore.exceptions
    logs = c.boto3("logs")
    group = _group()
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="app")
    now = int(time.time() * 1000)
    logs.put_log_events(logGroupName=group, logStreamName="app", logEvents=[
        {"timestamp": now, "message": '{"level": "ERROR", "ms": 30}'},
        {"timestamp": now + 1, "message": '{"level": "INFO", "ms": 10}'},
        {"timestamp": now + 2, "message": '{"level": "ERROR", "ms": 50}'},
    ])
    start, end = now // 1000 - 60, now // 1000 + 60
    found = _query(logs, group, "fields @timestamp, @message | filter level = 'ERROR' | sort ms desc", start, end)
    assert found["status"] == "Complete", found
    rows = [{f["field"]: f["value"] for f in row} for row in found["results"]]
    assert [r["@message"] for r in rows] == ['{"level": "ERROR", "ms": 50}', '{"level": "ERROR", "ms": 30}'], rows
    assert all("@ptr" in r for r in rows), rows
    assert found["statistics"]["recordsScanned"] == 3 and found["statistics"]["recordsMatched"] == 2, found["statistics"]
    stats = _query(logs, group, "stats count(*) as n, avg(ms) as avg by level | sort level", start, end)
    assert [[(f["field"], f["value"]) for f in row] for row in stats["results"]] == [
        [("level", "ERROR"), ("n", "2"), ("avg", "40")], [("level", "INFO"), ("n", "1"), ("avg", "10")]], stats["results"]
    try:
        logs.start_query(logGroupName=group, startTime=start, endTime=end, queryString="fields @message | nonsense")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "MalformedQueryException", e.response
        assert "queryCompileError" in e.response, e.response
    else:
        raise AssertionError("expected MalformedQueryException")


def boto3_live_tail_streams_new_events(c):
    import threading
    from botocore.config import Config
    import boto3
    # StartLiveTail's endpoint has the host prefix "stream-"; a local endpoint cannot take one.
    logs = boto3.client("logs", endpoint_url=c.endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test", config=Config(inject_host_prefix=False))
    group = _group()
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="app")
    arn = f"arn:aws:logs:us-east-1:000000000000:log-group:{group}"
    stream = logs.start_live_tail(logGroupIdentifiers=[arn], logEventFilterPattern="ERROR")["responseStream"]
    got = []

    def put_later():
        time.sleep(0.3)
        now = int(time.time() * 1000)
        logs.put_log_events(logGroupName=group, logStreamName="app", logEvents=[
            {"timestamp": now, "message": "INFO skipped"}, {"timestamp": now + 1, "message": "ERROR seen"}])

    threading.Thread(target=put_later).start()
    for event in stream:
        if "sessionStart" in event:
            assert event["sessionStart"]["logGroupIdentifiers"] == [arn], event
        elif "sessionUpdate" in event:
            got += [r["message"] for r in event["sessionUpdate"]["sessionResults"]]
            if got:
                break
    stream.close()
    assert got == ["ERROR seen"], got


LOGS_SCENARIOS = [(f.__name__, f) for f in [
    boto3_insights_query_filters_parses_and_aggregates,
    boto3_live_tail_streams_new_events,
    boto3_put_get_and_filter_events,
    boto3_missing_group_is_ResourceNotFound,
    cli_create_and_describe_group,
]]
