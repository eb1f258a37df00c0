#!/usr/bin/env python3
"""Writes src/Nephele.Services/Ssm/PublicParameters.json.gz: the SSM public parameters AWS publishes under
/aws/service/ that templates commonly resolve, as recorded from AWS by moto (Apache-2.0).

Usage: python3 tools/update-public-parameters.py   (needs `pip install moto==5.2.1`)

Kept: the latest Amazon Linux AMI ids of every region, the ECS-optimized "recommended" AMIs of every region, and the
global-infrastructure tree (regions and services). Left out: the per-image ECS history (2 MB and rarely resolved).
"""
import gzip
import importlib.metadata
import json
import os
import sys

PINNED = "5.2.1"


def walk(node, path):
    """Flattens moto's tree files: every "Value" under a path is the parameter at that path."""
    for key, child in node.items():
        if key == "Value":
            yield path, child if isinstance(child, str) else json.dumps(child, separators=(",", ":"))
        elif isinstance(child, dict):
            yield from walk(child, f"{path}/{key}")


def load(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def main():
    version = importlib.metadata.version("moto")
    if version != PINNED:
        sys.exit(f"moto {PINNED} is pinned, found {version}; update PINNED deliberately.")
    import moto.ssm
    resources = os.path.join(os.path.dirname(moto.ssm.__file__), "resources")
    regional = {}
    for file in sorted(os.listdir(os.path.join(resources, "ami-amazon-linux-latest"))):
        region = file.removesuffix(".json.gz")
        params = [[p["Name"], p["Value"], p["Version"], p["LastModifiedDate"]]
                  for p in load(os.path.join(resources, "ami-amazon-linux-latest", file))]
        ecs = os.path.join(resources, "ecs", "optimized_amis", file)
        if os.path.exists(ecs):
            params += [[name, value, 1, None] for name, value in walk(load(ecs), "")
                       if "/recommended" in name]
        regional[region] = sorted(params)
    shared = sorted([name, value, 1, None] for tree in ("regions.json.gz", "services.json.gz")
                    for name, value in walk(load(os.path.join(resources, tree)), ""))
    out = os.path.join(os.path.dirname(__file__), "..", "src", "Nephele.Services", "Ssm", "PublicParameters.json.gz")
    with gzip.GzipFile(out, "wb", mtime=0) as f:
        f.write(json.dumps({"source": f"moto {version}", "shared": shared, "regional": regional},
                           separators=(",", ":")).encode("utf-8"))
    print(out, os.path.getsize(out), "bytes;", len(shared), "shared,",
          sum(len(v) for v in regional.values()), "regional parameters")


if __name__ == "__main__":
    main()
