"""Scenario registry: each service adds its module's scenarios here, one line each."""
from dynamodb_scenarios import DYNAMODB_SCENARIOS
from dynamodbstreams_scenarios import DYNAMODBSTREAMS_SCENARIOS
from dynamodb_partiql_scenarios import DYNAMODB_PARTIQL_SCENARIOS
from iam_scenarios import IAM_SCENARIOS
from iam_credentials_scenarios import IAM_CREDENTIALS_SCENARIOS
from iam_enforce_scenarios import IAM_ENFORCE_SCENARIOS
from kms_scenarios import KMS_SCENARIOS
from lambda_async_scenarios import LAMBDA_ASYNC_SCENARIOS
from lambda_ddb_stream_scenarios import LAMBDA_DDB_STREAM_SCENARIOS
from lambda_scenarios import LAMBDA_SCENARIOS
from lambda_runtime_scenarios import LAMBDA_RUNTIME_SCENARIOS
from logs_scenarios import LOGS_SCENARIOS
from s3_config_scenarios import S3_CONFIG_SCENARIOS
from s3_events_scenarios import S3_EVENTS_SCENARIOS
from s3_crypto_scenarios import S3_CRYPTO_SCENARIOS
from s3_scenarios import S3_SCENARIOS
from s3cmd_scenarios import S3CMD_SCENARIOS
from sns_scenarios import SNS_SCENARIOS
from sqs_scenarios import SQS_SCENARIOS
from ssm_scenarios import SSM_SCENARIOS
from sts_scenarios import STS_SCENARIOS

SCENARIOS = [
    *STS_SCENARIOS,
    *SQS_SCENARIOS,
    *SSM_SCENARIOS,
    *IAM_SCENARIOS,
    *IAM_CREDENTIALS_SCENARIOS,
    *IAM_ENFORCE_SCENARIOS,
    *S3_SCENARIOS,
    *S3_CONFIG_SCENARIOS,
    *S3_EVENTS_SCENARIOS,
    *S3_CRYPTO_SCENARIOS,
    *S3CMD_SCENARIOS,
    *KMS_SCENARIOS,
    *SNS_SCENARIOS,
    *LOGS_SCENARIOS,
    *LAMBDA_SCENARIOS,
    *LAMBDA_ASYNC_SCENARIOS,
    *LAMBDA_RUNTIME_SCENARIOS,
    *DYNAMODB_SCENARIOS,
    *DYNAMODBSTREAMS_SCENARIOS,
    *DYNAMODB_PARTIQL_SCENARIOS,
    *LAMBDA_DDB_STREAM_SCENARIOS,
]
