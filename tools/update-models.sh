#!/usr/bin/env bash
# Regenerates models/ (AWS service models, documentation stripped) from pinned, integrity-checked packages.
# models/ is owned by this script: it is replaced wholesale on every run and never edited by hand.
#
# Sources:
#   - npm package @aws-cdk/asset-awscli-v1: its lib/layer.zip bundles the AWS CLI v1 with botocore, whose
#     botocore/data/<service>/<api-version>/service-2.json files are the models.
#   - Debian package python3-botocore: an older botocore whose SQS model still speaks the query protocol
#     (botocore later moved SQS to JSON); kept as models/sqs-query.json for query-protocol clients.
#
# Usage: tools/update-models.sh        (from any directory; needs npm, apt-get, dpkg-deb, openssl, python3)
set -euo pipefail

NPM_PACKAGE='@aws-cdk/asset-awscli-v1'
NPM_VERSION='2.2.296'
NPM_INTEGRITY='sha512-Er+f1t5DTFy/8jK9IId0WTf9JgtRUdHJ3MegQcCgBQ8Dk7xSM7cNAOhhvbc9IiLF79C2vrbbUqhrBT/pZn5boQ=='

DEB_PACKAGE='python3-botocore'
DEB_VERSION='1.29.27+repack-1'
DEB_SHA256='72802baa29e20716e3a591b39b03dea0ab24ad9d938f7498a04c365d3803c1b7'
DEB_SQS_MODEL='usr/lib/python3/dist-packages/botocore/data/sqs/2012-11-05/service-2.json'
DEB_NOTICE='usr/share/doc/python3-botocore/NOTICE'

# botocore data folder names.
SERVICES=(
  s3 dynamodb dynamodbstreams sqs sns sts iam kms secretsmanager ssm lambda logs cloudwatch events kinesis
  firehose cloudformation apigateway apigatewayv2 route53 cloudfront ec2 autoscaling elasticbeanstalk elbv2
  rds rds-data elasticache memorydb dax opensearch athena glue cloudtrail appconfig appconfigdata codecommit
  codebuild codedeploy codepipeline xray efs amplify timestream-write timestream-query kinesisvideo acm
  stepfunctions scheduler ses sesv2 ecr ecs cognito-idp cognito-identity resourcegroupstaggingapi s3control
)

die() { echo "update-models: error: $*" >&2; exit 1; }
log() { echo "update-models: $*" >&2; }

for tool in npm tar openssl base64 sha256sum apt-get apt-cache dpkg-deb python3; do
  command -v "$tool" >/dev/null 2>&1 || die "required tool '$tool' is not on PATH"
done

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd -- "$script_dir/.." && pwd -P)"
models_dir="$repo_root/models"
[[ -f "$repo_root/tools/update-models.sh" ]] || die "cannot locate the repository root from $script_dir"

work="$(mktemp -d "${TMPDIR:-/tmp}/nephele-models.XXXXXX")"
trap 'rm -rf -- "$work"' EXIT
mkdir -p "$work/npm" "$work/deb" "$work/out"

# --- npm package -------------------------------------------------------------------------------------
log "fetching $NPM_PACKAGE@$NPM_VERSION"
(cd "$work/npm" && npm pack --silent --ignore-scripts "$NPM_PACKAGE@$NPM_VERSION" >/dev/null) \
  || die "npm pack $NPM_PACKAGE@$NPM_VERSION failed"
shopt -s nullglob
tgzs=("$work"/npm/*.tgz)
shopt -u nullglob
[[ ${#tgzs[@]} -eq 1 ]] || die "expected exactly one tarball from npm pack, got ${#tgzs[@]}"
tgz="${tgzs[0]}"
actual_integrity="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 | tr -d '\n')"
if [[ "$actual_integrity" != "$NPM_INTEGRITY" ]]; then
  die "INTEGRITY MISMATCH for $NPM_PACKAGE@$NPM_VERSION
  expected: $NPM_INTEGRITY
  actual:   $actual_integrity"
fi
log "integrity ok: $actual_integrity"
tar -xzf "$tgz" -C "$work/npm" package/lib/layer.zip package/LICENSE \
  || die "tarball lacks package/lib/layer.zip or package/LICENSE"

# --- Debian package (legacy SQS query model, botocore NOTICE) -----------------------------------------
if ! apt-cache show "$DEB_PACKAGE=$DEB_VERSION" >/dev/null 2>&1; then
  log "apt-cache does not know $DEB_PACKAGE=$DEB_VERSION; running apt-get update"
  apt-get update -qq >&2 || die "apt-get update failed"
  apt-cache show "$DEB_PACKAGE=$DEB_VERSION" >/dev/null 2>&1 \
    || die "$DEB_PACKAGE version $DEB_VERSION is not available from the configured Debian archive"
fi
# apt drops privileges to _apt for downloads; let it write into the download folder.
if id _apt >/dev/null 2>&1; then
  chmod 0755 "$work" && chown _apt "$work/deb" 2>/dev/null || true
fi
log "fetching $DEB_PACKAGE=$DEB_VERSION"
(cd "$work/deb" && apt-get download -qq "$DEB_PACKAGE=$DEB_VERSION" >&2) \
  || die "apt-get download $DEB_PACKAGE=$DEB_VERSION failed"
shopt -s nullglob
debs=("$work"/deb/*.deb)
shopt -u nullglob
[[ ${#debs[@]} -eq 1 ]] || die "expected exactly one .deb from apt-get download, got ${#debs[@]}"
deb="${debs[0]}"
actual_sha256="$(sha256sum "$deb" | cut -d' ' -f1)"
if [[ "$actual_sha256" != "$DEB_SHA256" ]]; then
  die "SHA256 MISMATCH for $DEB_PACKAGE $DEB_VERSION
  expected: $DEB_SHA256
  actual:   $actual_sha256"
fi
log "sha256 ok: $actual_sha256"
dpkg-deb -x "$deb" "$work/deb/root"
[[ -f "$work/deb/root/$DEB_SQS_MODEL" ]] || die "$DEB_PACKAGE lacks $DEB_SQS_MODEL"
[[ -f "$work/deb/root/$DEB_NOTICE" ]] || die "$DEB_PACKAGE lacks $DEB_NOTICE"

# --- generate ----------------------------------------------------------------------------------------
NPM_PACKAGE="$NPM_PACKAGE" NPM_VERSION="$NPM_VERSION" NPM_INTEGRITY="$NPM_INTEGRITY" \
DEB_PACKAGE="$DEB_PACKAGE" DEB_VERSION="$DEB_VERSION" DEB_SHA256="$DEB_SHA256" \
LAYER_ZIP="$work/npm/package/lib/layer.zip" LICENSE_SRC="$work/npm/package/LICENSE" \
SQS_QUERY_SRC="$work/deb/root/$DEB_SQS_MODEL" DEB_SQS_MODEL="$DEB_SQS_MODEL" \
NOTICE_SRC="$work/deb/root/$DEB_NOTICE" OUT_DIR="$work/out" SERVICES="${SERVICES[*]}" \
python3 - <<'PY'
import json
import os
import re
import sys
import zipfile

env = os.environ
out_dir = env["OUT_DIR"]
services = env["SERVICES"].split()
DOC_KEYS = {"documentation", "documentationUrl", "deprecatedMessage", "examples"}


def fail(msg):
    print(f"update-models: error: {msg}", file=sys.stderr)
    sys.exit(1)


def note(msg):
    print(f"update-models: {msg}", file=sys.stderr)


changed_floats = []


def load(data, label):
    def parse_float(text):
        # Python re-prints floats in shortest form; flag any literal whose text would change.
        if repr(float(text)) != text:
            changed_floats.append((label, text))
        return float(text)

    return json.loads(data, parse_float=parse_float)


def strip_attrs(node):
    if isinstance(node, dict):
        return {k: strip_attrs(v) for k, v in node.items() if k not in DOC_KEYS}
    if isinstance(node, list):
        return [strip_attrs(v) for v in node]
    return node


def strip_model(model):
    # Keys of "operations", "shapes" and a shape's "members" are names, not attributes: a member may be
    # called "examples" or "documentation" and must survive; only attribute keys are removed.
    result = {}
    for key, value in model.items():
        if key in DOC_KEYS:
            continue
        if key == "operations":
            result[key] = {name: strip_attrs(op) for name, op in value.items()}
        elif key == "shapes":
            shapes = {}
            for name, shape in value.items():
                s = {}
                for k, v in shape.items():
                    if k in DOC_KEYS:
                        continue
                    if k == "members" and isinstance(v, dict):
                        s[k] = {m: strip_attrs(mv) for m, mv in v.items()}
                    else:
                        s[k] = strip_attrs(v)
                shapes[name] = s
            result[key] = shapes
        else:
            result[key] = strip_attrs(value)
    return result


def check_refs(model, label):
    shapes = model.get("shapes", {})
    missing = set()

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("shape")
            if isinstance(ref, str) and ref not in shapes:
                missing.add(ref)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(model.get("operations", {}))
    walk(shapes)
    if missing:
        fail(f"{label}: dangling shape references after stripping: {sorted(missing)[:10]}")
    if not isinstance(model.get("metadata"), dict) or not model.get("operations"):
        fail(f"{label}: model has no metadata or no operations")


def write_model(model, name):
    path = os.path.join(out_dir, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(model, f, indent=1, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")
    return os.path.getsize(path)


# --- models from the npm package's layer.zip ---
entry_re = re.compile(r"(?:^|/)botocore/data/([^/]+)/([^/]+)/service-2\.json$")
with zipfile.ZipFile(env["LAYER_ZIP"]) as z:
    names = z.namelist()
    found = {}
    for n in names:
        m = entry_re.search(n)
        if m:
            found.setdefault(m.group(1), {})[m.group(2)] = n

    def version_of(pattern, label):
        for n in names:
            if re.search(pattern, n):
                m = re.search(r"__version__\s*=\s*['\"]([^'\"]+)['\"]", z.read(n).decode("utf-8"))
                if m:
                    return m.group(1)
        fail(f"cannot determine the bundled {label} version")

    awscli_version = version_of(r"(?:^|/)awscli/__init__\.py$", "AWS CLI")
    botocore_version = version_of(r"(?:^|/)botocore/__init__\.py$", "botocore")

    missing = [s for s in services if s not in found]
    for s in missing:
        note(f"WARNING: service '{s}' does not exist in the package; skipped")
    built = []  # (service, api_version, model)
    for s in services:
        if s in found:
            version = max(found[s])
            older = sorted(v for v in found[s] if v != version)
            raw = load(z.read(found[s][version]).decode("utf-8"), s)
            model = strip_model(raw)
            check_refs(model, s)
            if model["metadata"].get("apiVersion") not in (None, version):
                note(f"note: {s}: folder {version} holds apiVersion {model['metadata']['apiVersion']}")
            built.append((s, version, older, model))

# --- legacy SQS query model from the Debian package ---
with open(env["SQS_QUERY_SRC"], encoding="utf-8") as f:
    sqs_query = strip_model(load(f.read(), "sqs-query"))
check_refs(sqs_query, "sqs-query")
sqs_query_protocol = sqs_query["metadata"].get("protocol")
if sqs_query_protocol != "query":
    fail(f"{env['DEB_PACKAGE']} {env['DEB_VERSION']} ships an SQS model with protocol "
         f"'{sqs_query_protocol}', not 'query'")

sizes = {}
for s, version, _, model in built:
    sizes[f"{s}.json"] = write_model(model, f"{s}.json")
sizes["sqs-query.json"] = write_model(sqs_query, "sqs-query.json")

# --- routing index ---
index = []
for s, version, _, model in built:
    md = model["metadata"]
    protocols = list(md["protocols"]) if "protocols" in md else [md["protocol"]]
    files = {p: f"{s}.json" for p in protocols}
    operations = set(model["operations"])
    if s == "sqs":
        if "query" not in protocols:
            protocols.append("query")
        files["query"] = "sqs-query.json"
        # Query clients may call any SQS operation: route the union of both models' names.
        operations |= set(sqs_query["operations"])
    actions = sorted(operations) if any(p in ("query", "ec2") for p in protocols) else []
    prefixes = set()
    if any(p in ("rest-json", "rest-xml") for p in protocols):
        for op in model["operations"].values():
            uri = op.get("http", {}).get("requestUri", "")
            first = uri.split("?", 1)[0].lstrip("/").split("/", 1)[0]
            if first and "{" not in first:
                prefixes.add(first)
    index.append({
        "name": s,
        "serviceId": md.get("serviceId"),
        "signingName": md.get("signingName") or md.get("endpointPrefix"),
        "endpointPrefix": md.get("endpointPrefix"),
        "targetPrefix": md.get("targetPrefix"),
        "jsonVersion": md.get("jsonVersion"),
        "protocols": protocols,
        "awsQueryCompatible": "awsQueryCompatible" in md,
        "globalEndpoint": md.get("globalEndpoint"),
        "models": files,
        "actions": actions,
        "pathPrefixes": sorted(prefixes),
    })
index.sort(key=lambda e: e["name"])
with open(os.path.join(out_dir, "index.json"), "w", encoding="utf-8", newline="\n") as f:
    f.write('{"services":[\n')
    f.write(",\n".join(json.dumps(e, separators=(",", ":"), ensure_ascii=False) for e in index))
    f.write("\n]}\n")

# --- LICENSE, NOTICE ---
with open(env["LICENSE_SRC"], encoding="utf-8") as f:
    license_text = f.read()
if "Apache License" not in license_text or "Version 2.0, January 2004" not in license_text \
        or "END OF TERMS AND CONDITIONS" not in license_text:
    fail("the npm package's LICENSE is not the full Apache License 2.0 text")
with open(os.path.join(out_dir, "LICENSE"), "w", encoding="utf-8", newline="\n") as f:
    f.write(license_text)

with open(env["NOTICE_SRC"], encoding="utf-8") as f:
    notice_lines = f.read().strip("\n").split("\n")
botocore_notice = []
for line in notice_lines:
    if not line.strip():
        break
    botocore_notice.append(line.rstrip())
if not botocore_notice or botocore_notice[0] != "Botocore" or "Amazon.com" not in " ".join(botocore_notice):
    fail(f"unexpected botocore NOTICE in {env['DEB_PACKAGE']}: {botocore_notice!r}")
npm_desc = f"{env['NPM_PACKAGE']} {env['NPM_VERSION']} (AWS CLI {awscli_version}, botocore {botocore_version})"
deb_desc = f"{env['DEB_PACKAGE']} {env['DEB_VERSION']}"
with open(os.path.join(out_dir, "NOTICE"), "w", encoding="utf-8", newline="\n") as f:
    f.write("\n".join(botocore_notice) + "\n\n")
    f.write(f"The AWS service models in this directory are derived from botocore's data as shipped in the npm\n"
            f"package {npm_desc} and, for sqs-query.json,\n"
            f"the Debian package {deb_desc}; documentation strings were removed.\n")

# --- README ---
by_name = {e["name"]: e for e in index}
rows = []
for s, version, older, model in built:
    older_note = f" (older in package: {', '.join(older)})" if older else ""
    rows.append(f"| {s} | {version}{older_note} | {', '.join(by_name[s]['protocols'])} | `{s}.json` |")
rows.append(f"| sqs (legacy query) | {sqs_query['metadata'].get('apiVersion')} | query | `sqs-query.json` |")
doc_keys = ", ".join(f"`{k}`" for k in sorted(DOC_KEYS))
missing_text = ("Requested but absent from the package (skipped): " + ", ".join(missing) + ".\n\n") if missing else ""
readme = f"""# models

AWS service models used by Nephele's protocol parsers, serializers and request routing.

**Generated by `tools/update-models.sh` only. Never edit these files by hand**: change the pins or the
service list in the script and run it again; it replaces this directory wholesale.

## Sources

- npm package `{env['NPM_PACKAGE']}`, version `{env['NPM_VERSION']}`,
  integrity `{env['NPM_INTEGRITY']}` (checked by the script).
  Its `lib/layer.zip` bundles AWS CLI {awscli_version} with botocore {botocore_version}; each model is the
  `botocore/data/<service>/<api-version>/service-2.json` of the newest api version in that package.
- Legacy SQS query model `sqs-query.json`: Debian package `{env['DEB_PACKAGE']}`, version `{env['DEB_VERSION']}`,
  .deb sha256 `{env['DEB_SHA256']}` (checked by the script), file `{env['DEB_SQS_MODEL']}`
  (metadata.protocol `query`; current botocore serves SQS over JSON, with `awsQueryCompatible`).

## Changes made to the upstream files

- Every key named {doc_keys} was removed at any depth (names of operations, shapes and members are kept
  even when they equal one of those words).
- Re-serialized as UTF-8 JSON with one-space indentation and no spaces after separators. Everything else,
  including key order, is as upstream.

## Files

- `<service>.json`: one model per service, named by its botocore data folder.
- `sqs-query.json`: the legacy SQS model for query-protocol clients.
- `index.json`: routing index generated from the models: per service its serviceId, signingName,
  endpointPrefix, targetPrefix, jsonVersion, protocols, awsQueryCompatible, globalEndpoint, the model file
  per protocol, the operation names for query/ec2-protocol services (`actions`, to route `Action=` form bodies)
  and the distinct literal first path segments of rest-json/rest-xml request URIs (`pathPrefixes`).
- `LICENSE` (Apache License 2.0, botocore's licence) and `NOTICE`.

## Services

{missing_text}| service | api version | protocols | file |
| --- | --- | --- | --- |
""" + "\n".join(rows) + "\n"
with open(os.path.join(out_dir, "README.md"), "w", encoding="utf-8", newline="\n") as f:
    f.write(readme)

for label, text in changed_floats:
    note(f"note: {label}: number literal {text} is re-printed as {float(text)!r} (same value)")

# Summary on stdout.
print(f"{'service':26} {'api version':12} {'bytes':>9}  protocols")
for s, version, _, model in built:
    print(f"{s:26} {version:12} {sizes[s + '.json']:>9}  {','.join(by_name[s]['protocols'])}")
print(f"{'sqs-query':26} {sqs_query['metadata'].get('apiVersion'):12} {sizes['sqs-query.json']:>9}  query")
PY

# --- install -----------------------------------------------------------------------------------------
rm -rf -- "$models_dir"
mkdir -p -- "$models_dir"
cp -- "$work"/out/* "$models_dir"/
log "wrote $(find "$models_dir" -type f | wc -l) files to $models_dir ($(du -sh "$models_dir" | cut -f1))"
