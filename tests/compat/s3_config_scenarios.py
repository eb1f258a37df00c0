"""S3 bucket configuration documents through boto3: each stored and returned as sent, with AWS's errors."""
import datetime
import json
import urllib.request
import uuid

import botocore.exceptions


def _bucket(c):
    s3 = c.boto3("s3")
    name = f"compat-cfg-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return s3, name


def _error(call, code, status=None):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == code, e.response
        if status is not None:
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == status, e.response
        return e.response["Error"]
    raise AssertionError(f"expected {code}")


def boto3_tagging_round_trip_and_duplicate_keys(c):
    s3, bucket = _bucket(c)
    _error(lambda: s3.get_bucket_tagging(Bucket=bucket), "NoSuchTagSet", 404)
    tags = [{"Key": "team", "Value": "storage"}, {"Key": "env", "Value": "dev"}]
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tags})
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == tags
    error = _error(lambda: s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}]}),
                   "InvalidTag", 400)
    assert error["Message"] == "Cannot provide multiple Tags with the same key", error
    s3.delete_bucket_tagging(Bucket=bucket)
    _error(lambda: s3.get_bucket_tagging(Bucket=bucket), "NoSuchTagSet", 404)
    # An empty TagSet removes the tags too.
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tags})
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": []})
    _error(lambda: s3.get_bucket_tagging(Bucket=bucket), "NoSuchTagSet", 404)


def boto3_cors_round_trip_and_preflight(c):
    s3, bucket = _bucket(c)
    _error(lambda: s3.get_bucket_cors(Bucket=bucket), "NoSuchCORSConfiguration", 404)
    rules = [{"ID": "web", "AllowedHeaders": ["*"], "AllowedMethods": ["GET", "PUT"], "AllowedOrigins": ["https://app.example.com"],
              "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 3000}]
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": rules})
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"] == rules
    request = urllib.request.Request(f"{c.endpoint}/{bucket}/index.html", method="OPTIONS",
                                     headers={"Origin": "https://app.example.com", "Access-Control-Request-Method": "PUT"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
        assert response.headers["Access-Control-Allow-Origin"] == "https://app.example.com", dict(response.headers)
        assert response.headers["Access-Control-Allow-Methods"] == "GET, PUT", dict(response.headers)
    _error(lambda: s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [{"AllowedMethods": ["PATCH"], "AllowedOrigins": ["*"]}]}),
           "InvalidRequest", 400)
    s3.delete_bucket_cors(Bucket=bucket)
    _error(lambda: s3.get_bucket_cors(Bucket=bucket), "NoSuchCORSConfiguration", 404)


def boto3_lifecycle_round_trip_and_validation(c):
    s3, bucket = _bucket(c)
    _error(lambda: s3.get_bucket_lifecycle_configuration(Bucket=bucket), "NoSuchLifecycleConfiguration", 404)
    rules = [{"ID": "logs", "Filter": {"And": {"Prefix": "logs/", "Tags": [{"Key": "tier", "Value": "cold"}]}}, "Status": "Enabled",
              "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}], "Expiration": {"Days": 90},
              "NoncurrentVersionExpiration": {"NoncurrentDays": 10}}]
    rules.append({"ID": "dated", "Filter": {"Prefix": "tmp/"}, "Status": "Disabled",
                  "Expiration": {"Date": datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)}})
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    got = s3.get_bucket_lifecycle_configuration(Bucket=bucket)
    assert got["Rules"] == rules, got["Rules"]
    assert got["TransitionDefaultMinimumObjectSize"] == "all_storage_classes_128K", got
    error = _error(lambda: s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={
        "Rules": [{"ID": "none", "Filter": {"Prefix": ""}, "Status": "Enabled"}]}), "InvalidRequest", 400)
    assert error["Message"] == "At least one action needs to be specified in a rule", error
    s3.delete_bucket_lifecycle(Bucket=bucket)
    _error(lambda: s3.get_bucket_lifecycle_configuration(Bucket=bucket), "NoSuchLifecycleConfiguration", 404)


def boto3_policy_round_trip_status_and_malformed(c):
    s3, bucket = _bucket(c)
    _error(lambda: s3.get_bucket_policy(Bucket=bucket), "NoSuchBucketPolicy", 404)
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                                                  "Resource": f"arn:aws:s3:::{bucket}/*"}]})
    # New buckets block public policies, as in AWS today.
    _error(lambda: s3.put_bucket_policy(Bucket=bucket, Policy=policy), "AccessDenied", 403)
    s3.delete_public_access_block(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=policy)
    assert s3.get_bucket_policy(Bucket=bucket)["Policy"] == policy
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"] is True
    error = _error(lambda: s3.put_bucket_policy(Bucket=bucket, Policy="not json"), "MalformedPolicy", 400)
    assert error["Message"] == "Policies must be valid JSON and the first byte must be '{'", error
    bad = policy.replace(f"arn:aws:s3:::{bucket}/*", "arn:aws:s3:::someone-else/*")
    assert _error(lambda: s3.put_bucket_policy(Bucket=bucket, Policy=bad), "MalformedPolicy")["Message"] == "Policy has invalid resource"
    s3.delete_bucket_policy(Bucket=bucket)
    _error(lambda: s3.get_bucket_policy(Bucket=bucket), "NoSuchBucketPolicy", 404)


def boto3_acl_ownership_and_public_access_block(c):
    s3, bucket = _bucket(c)
    acl = s3.get_bucket_acl(Bucket=bucket)
    assert [g["Permission"] for g in acl["Grants"]] == ["FULL_CONTROL"], acl
    assert acl["Grants"][0]["Grantee"]["ID"] == acl["Owner"]["ID"], acl
    error = _error(lambda: s3.put_bucket_acl(Bucket=bucket, ACL="public-read"), "AccessControlListNotSupported", 400)
    assert error["Message"] == "The bucket does not allow ACLs", error
    rules = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "BucketOwnerEnforced"}], rules
    s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]})
    s3.delete_public_access_block(Bucket=bucket)
    _error(lambda: s3.get_public_access_block(Bucket=bucket), "NoSuchPublicAccessBlockConfiguration", 404)
    s3.put_bucket_acl(Bucket=bucket, ACL="public-read")
    grants = s3.get_bucket_acl(Bucket=bucket)["Grants"]
    assert {"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"} in grants, grants
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={"BlockPublicPolicy": True})
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert block == {"BlockPublicAcls": False, "IgnorePublicAcls": False, "BlockPublicPolicy": True, "RestrictPublicBuckets": False}, block
    s3.delete_bucket_ownership_controls(Bucket=bucket)
    _error(lambda: s3.get_bucket_ownership_controls(Bucket=bucket), "OwnershipControlsNotFoundError", 404)


def boto3_encryption_default_and_kms(c):
    s3, bucket = _bucket(c)
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules == [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}], rules
    kms = [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/data"}, "BucketKeyEnabled": True}]
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": kms})
    assert s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"] == kms
    s3.delete_bucket_encryption(Bucket=bucket)
    assert s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"


def boto3_website_logging_notification_accelerate_payment(c):
    s3, bucket = _bucket(c)
    _, target = _bucket(c)
    _error(lambda: s3.get_bucket_website(Bucket=bucket), "NoSuchWebsiteConfiguration", 404)
    website = {"IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "error.html"},
               "RoutingRules": [{"Condition": {"HttpErrorCodeReturnedEquals": "404"}, "Redirect": {"ReplaceKeyWith": "missing.html"}}]}
    s3.put_bucket_website(Bucket=bucket, WebsiteConfiguration=website)
    got = s3.get_bucket_website(Bucket=bucket)
    assert {k: got[k] for k in website} == website, got

    assert "LoggingEnabled" not in s3.get_bucket_logging(Bucket=bucket)
    s3.put_bucket_logging(Bucket=bucket, BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": target, "TargetPrefix": "logs/"}})
    assert s3.get_bucket_logging(Bucket=bucket)["LoggingEnabled"] == {"TargetBucket": target, "TargetPrefix": "logs/"}
    _error(lambda: s3.put_bucket_logging(Bucket=bucket, BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "compat-no-such", "TargetPrefix": ""}}),
           "InvalidTargetBucketForLogging", 400)

    topic = {"Id": "created", "TopicArn": "arn:aws:sns:us-east-1:000000000000:uploads", "Events": ["s3:ObjectCreated:*"],
             "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "images/"}]}}}
    # The topic does not exist: only skipping S3's destination check (a test event) stores it.
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={"TopicConfigurations": [topic]},
                                             SkipDestinationValidation=True)
    assert s3.get_bucket_notification_configuration(Bucket=bucket)["TopicConfigurations"] == [topic]
    _error(lambda: s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "QueueConfigurations": [{"QueueArn": "arn:aws:sns:nope", "Events": ["s3:ObjectCreated:*"]}]}), "InvalidArgument", 400)

    s3.put_bucket_accelerate_configuration(Bucket=bucket, AccelerateConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_accelerate_configuration(Bucket=bucket)["Status"] == "Enabled"
    assert s3.get_bucket_request_payment(Bucket=bucket)["Payer"] == "BucketOwner"
    s3.put_bucket_request_payment(Bucket=bucket, RequestPaymentConfiguration={"Payer": "Requester"})
    assert s3.get_bucket_request_payment(Bucket=bucket)["Payer"] == "Requester"


def boto3_object_lock_and_replication(c):
    s3 = c.boto3("s3")
    locked = f"compat-lock-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=locked, ObjectLockEnabledForBucket=True)
    assert s3.get_object_lock_configuration(Bucket=locked)["ObjectLockConfiguration"] == {"ObjectLockEnabled": "Enabled"}
    config = {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 1}}}
    s3.put_object_lock_configuration(Bucket=locked, ObjectLockConfiguration=config)
    assert s3.get_object_lock_configuration(Bucket=locked)["ObjectLockConfiguration"] == config
    _, plain = _bucket(c)
    _error(lambda: s3.get_object_lock_configuration(Bucket=plain), "ObjectLockConfigurationNotFoundError", 404)
    _error(lambda: s3.put_object_lock_configuration(Bucket=plain, ObjectLockConfiguration={"ObjectLockEnabled": "Enabled"}), "InvalidBucketState", 409)

    _error(lambda: s3.get_bucket_replication(Bucket=plain), "ReplicationConfigurationNotFoundError", 404)
    replication = {"Role": "arn:aws:iam::000000000000:role/replicate", "Rules": [
        {"ID": "all", "Priority": 1, "Filter": {"Prefix": ""}, "Status": "Enabled", "DeleteMarkerReplication": {"Status": "Disabled"},
         "Destination": {"Bucket": f"arn:aws:s3:::{locked}"}}]}
    _error(lambda: s3.put_bucket_replication(Bucket=plain, ReplicationConfiguration=replication), "InvalidRequest", 400)
    s3.put_bucket_versioning(Bucket=plain, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_replication(Bucket=plain, ReplicationConfiguration=replication)
    assert s3.get_bucket_replication(Bucket=plain)["ReplicationConfiguration"] == replication


def boto3_id_keyed_configurations(c):
    s3, bucket = _bucket(c)
    _error(lambda: s3.get_bucket_metrics_configuration(Bucket=bucket, Id="absent"), "NoSuchConfiguration", 404)
    metrics = {"Id": "docs", "Filter": {"Prefix": "docs/"}}
    s3.put_bucket_metrics_configuration(Bucket=bucket, Id="docs", MetricsConfiguration=metrics)
    assert s3.get_bucket_metrics_configuration(Bucket=bucket, Id="docs")["MetricsConfiguration"] == metrics
    assert s3.list_bucket_metrics_configurations(Bucket=bucket)["MetricsConfigurationList"] == [metrics]
    tiering = {"Id": "archive", "Status": "Enabled", "Tierings": [{"Days": 180, "AccessTier": "DEEP_ARCHIVE_ACCESS"}]}
    s3.put_bucket_intelligent_tiering_configuration(Bucket=bucket, Id="archive", IntelligentTieringConfiguration=tiering)
    assert s3.get_bucket_intelligent_tiering_configuration(Bucket=bucket, Id="archive")["IntelligentTieringConfiguration"] == tiering
    inventory = {"Id": "daily", "IsEnabled": True, "IncludedObjectVersions": "All", "Schedule": {"Frequency": "Daily"},
                 "Destination": {"S3BucketDestination": {"Bucket": f"arn:aws:s3:::{bucket}", "Format": "CSV"}}}
    s3.put_bucket_inventory_configuration(Bucket=bucket, Id="daily", InventoryConfiguration=inventory)
    assert s3.list_bucket_inventory_configurations(Bucket=bucket)["InventoryConfigurationList"] == [inventory]
    analytics = {"Id": "usage", "StorageClassAnalysis": {}}
    s3.put_bucket_analytics_configuration(Bucket=bucket, Id="usage", AnalyticsConfiguration=analytics)
    assert [a["Id"] for a in s3.list_bucket_analytics_configurations(Bucket=bucket)["AnalyticsConfigurationList"]] == ["usage"]
    s3.delete_bucket_metrics_configuration(Bucket=bucket, Id="docs")
    _error(lambda: s3.delete_bucket_metrics_configuration(Bucket=bucket, Id="docs"), "NoSuchConfiguration", 404)


def cli_cors_tagging_and_default_encryption(c):
    bucket = f"compat-cli-{uuid.uuid4().hex[:12]}"
    c.cli("s3api", "create-bucket", "--bucket", bucket)
    cors = {"CORSRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"], "MaxAgeSeconds": 60}]}
    c.cli("s3api", "put-bucket-cors", "--bucket", bucket, "--cors-configuration", json.dumps(cors))
    assert c.cli("s3api", "get-bucket-cors", "--bucket", bucket) == cors
    c.cli("s3api", "put-bucket-tagging", "--bucket", bucket, "--tagging", "TagSet=[{Key=owner,Value=cli}]")
    assert c.cli("s3api", "get-bucket-tagging", "--bucket", bucket)["TagSet"] == [{"Key": "owner", "Value": "cli"}]
    encryption = c.cli("s3api", "get-bucket-encryption", "--bucket", bucket)["ServerSideEncryptionConfiguration"]
    assert encryption["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256", encryption
    assert "NoSuchBucketPolicy" in c.cli("s3api", "get-bucket-policy", "--bucket", bucket, expect_error=True)["stderr"]


S3_CONFIG_SCENARIOS = [(f.__name__, f) for f in [
    boto3_tagging_round_trip_and_duplicate_keys,
    boto3_cors_round_trip_and_preflight,
    boto3_lifecycle_round_trip_and_validation,
    boto3_policy_round_trip_status_and_malformed,
    boto3_acl_ownership_and_public_access_block,
    boto3_encryption_default_and_kms,
    boto3_website_logging_notification_accelerate_payment,
    boto3_object_lock_and_replication,
    boto3_id_keyed_configurations,
    cli_cors_tagging_and_default_encryption,
]]
