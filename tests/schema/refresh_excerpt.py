#!/usr/bin/python3
"""Cuts tests/fixtures/feldera/openapi-excerpt.json out of Feldera's whole openapi.json.

The schema tests take every schema from the excerpt, so refreshing it is how a change in
Feldera's API reaches them. The excerpt keeps, unchanged, the paths this project serves, the
schemas of a pipeline's own answers, and every schema those reference (transitively); it is
written the way the committed one is (`json.dumps(..., indent=1)`, no final newline), so a
refresh shows in `git diff` only what Feldera changed.

Usage: refresh_excerpt.py FELDERA_OPENAPI_JSON [OUTPUT]
"""

import json
import sys
from pathlib import Path

# The manager's paths this project serves or forwards.
PATHS = [
    "/v0/config",
    "/v0/pipelines/{pipeline_name}/completion_status",
    "/v0/pipelines/{pipeline_name}/tables/{table_name}/connectors/{connector_name}/completion_token",
]
# Schemas of what a pipeline process itself answers (its /stats, checkpoints), not named by PATHS.
PIPELINE_SCHEMAS = [
    "ControllerStatus",
    "CompletionStatusResponse",
    "CompletionTokenResponse",
    "ErrorResponse",
    "Configuration",
    "CheckpointStatus",
    "CheckpointMetadata",
]
SCHEMA_REF_PREFIX = "#/components/schemas/"
DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "fixtures" / "feldera" / "openapi-excerpt.json"


def referenced_schemas(node):
    """The names of the schemas `node` refers to with `$ref`, at any depth."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                if not value.startswith(SCHEMA_REF_PREFIX):
                    raise ValueError(f"unexpected $ref {value!r}")
                yield value[len(SCHEMA_REF_PREFIX):]
            else:
                yield from referenced_schemas(value)
    elif isinstance(node, list):
        for item in node:
            yield from referenced_schemas(item)


def schema_closure(schemas, roots):
    """`roots` and every schema they reach through `$ref`."""
    kept, pending = set(), list(roots)
    while pending:
        name = pending.pop()
        if name in kept:
            continue
        kept.add(name)
        pending.extend(referenced_schemas(schemas[name]))
    return kept


def excerpt(openapi):
    """The excerpt of a whole openapi.json document."""
    paths = {path: openapi["paths"][path] for path in PATHS}
    schemas = openapi["components"]["schemas"]
    kept = schema_closure(schemas, list(referenced_schemas(paths)) + PIPELINE_SCHEMAS)
    return {
        "openapi": openapi["openapi"],
        "info": {"title": openapi["info"]["title"], "version": openapi["info"]["version"]},
        "paths": paths,
        "components": {"schemas": {name: schemas[name] for name in sorted(kept)}},
    }


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    openapi = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    output = Path(argv[2]) if len(argv) == 3 else DEFAULT_OUTPUT
    output.write_text(json.dumps(excerpt(openapi), indent=1), encoding="utf-8")
    print(f"wrote {output}")


if __name__ == "__main__":
    main(sys.argv)
