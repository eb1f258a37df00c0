"""DynamoDB PartiQL (ExecuteStatement, BatchExecuteStatement, ExecuteTransaction) through boto3 and the AWS CLI."""
import json

from dynamodb_scenarios import _name, _table


def boto3_partiql_statements_and_errors(c):
    import botocore.exceptions
    ddb = c.boto3("dynamodb")
    name = _name("pq")
    _table(ddb, name, "N")
    for i in range(5):
        ddb.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'pk': ?, 'sk': ?, 'tags': <<'a'>>}}",
                              Parameters=[{"S": "p"}, {"N": str(i)}])
    page = ddb.execute_statement(Statement=f"SELECT sk FROM \"{name}\" WHERE pk = 'p' AND sk > 1 ORDER BY sk DESC")
    assert [i["sk"]["N"] for i in page["Items"]] == ["4", "3", "2"], page
    updated = ddb.execute_statement(Statement=f"UPDATE \"{name}\" SET n = 1 SET tags = set_add(tags, <<'b'>>) "
                                              f"WHERE pk = 'p' AND sk = 0 RETURNING ALL NEW *")
    assert sorted(updated["Items"][0]["tags"]["SS"]) == ["a", "b"], updated
    try:
        ddb.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'pk': 'p', 'sk': 0}}")
        raise AssertionError("expected DuplicateItemException")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "DuplicateItemException", e.response
    try:
        ddb.execute_statement(Statement=f"UPDATE \"{name}\" SET n = 2 WHERE pk = 'p'")
        raise AssertionError("expected ValidationException")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Message"] == "Where clause does not contain a mandatory equality on all key attributes", e.response
    items, token = [], None
    while True:
        args = {"Statement": f"SELECT * FROM \"{name}\"", "Limit": 2}
        if token:
            args["NextToken"] = token
        page = ddb.execute_statement(**args)
        items += page["Items"]
        token = page.get("NextToken")
        if not token:
            break
    assert len(items) == 5, items


def boto3_partiql_batch_and_transaction(c):
    import botocore.exceptions
    ddb = c.boto3("dynamodb")
    name = _name("pqtx")
    _table(ddb, name)
    batch = ddb.batch_execute_statement(Statements=[
        {"Statement": f"INSERT INTO \"{name}\" VALUE {{'pk': 'a', 'v': 1}}"},
        {"Statement": f"INSERT INTO \"{name}\" VALUE {{'pk': 'a', 'v': 2}}"},
    ])["Responses"]
    assert "Error" not in batch[0] and batch[1]["Error"]["Code"] == "DuplicateItem", batch
    try:
        ddb.execute_transaction(TransactStatements=[
            {"Statement": f"INSERT INTO \"{name}\" VALUE {{'pk': 'b'}}"},
            {"Statement": f"UPDATE \"{name}\" SET v = 5 WHERE pk = 'a' AND v = 3"},
        ])
        raise AssertionError("expected TransactionCanceledException")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "TransactionCanceledException", e.response
        assert [r["Code"] for r in e.response["CancellationReasons"]] == ["None", "ConditionalCheckFailed"], e.response
    read = ddb.execute_transaction(TransactStatements=[
        {"Statement": f"SELECT * FROM \"{name}\" WHERE pk = 'a'"},
        {"Statement": f"SELECT * FROM \"{name}\" WHERE pk = 'b'"},
    ])["Responses"]
    assert read[0]["Item"]["v"] == {"N": "1"} and not read[1].get("Item"), read


def cli_partiql_execute_statement(c):
    name = _name("pqcli")
    c.cli("dynamodb", "create-table", "--table-name", name, "--billing-mode", "PAY_PER_REQUEST",
          "--attribute-definitions", "AttributeName=pk,AttributeType=S", "--key-schema", "AttributeName=pk,KeyType=HASH")
    c.cli("dynamodb", "execute-statement", "--statement", f"INSERT INTO \"{name}\" VALUE {{'pk': ?, 'n': 1}}",
          "--parameters", json.dumps([{"S": "x"}]))
    got = c.cli("dynamodb", "execute-statement", "--statement", f"SELECT n FROM \"{name}\" WHERE pk = 'x'")
    assert got["Items"] == [{"n": {"N": "1"}}], got


DYNAMODB_PARTIQL_SCENARIOS = [(f.__name__, f) for f in [
    boto3_partiql_statements_and_errors,
    boto3_partiql_batch_and_transaction,
    cli_partiql_execute_statement,
]]
