"""Feldera's published OpenAPI schemas, as JSON Schema: the oracle of the schema tests.

The schemas come from tests/fixtures/feldera/openapi-excerpt.json, read when the tests run, so a
refreshed excerpt changes what the tests accept. Validation is done by the `jsonschema` library
(Debian's python3-jsonschema); this module only converts OpenAPI 3.0 Schema Objects to the JSON
Schema dialect that library implements, where the two differ (see `to_json_schema`).
"""

import json
from pathlib import Path

import jsonschema
import pyrfc3339

EXCERPT_PATH = Path(__file__).resolve().parents[1] / "fixtures" / "feldera" / "openapi-excerpt.json"
SCHEMA_REF_PREFIX = "#/components/schemas/"

# OpenAPI 3.0's Schema Object is "an extended subset" of JSON Schema Wright draft 00 (draft 5),
# whose validation keywords are draft 4's (boolean exclusiveMinimum/Maximum, `integer` excludes
# 1.0). These keywords mean the same in both and are kept as they are.
SAME_MEANING = {
    "type", "format", "enum", "required", "default", "title", "description",
    "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems",
    "maxProperties", "minProperties",
}
# Keywords whose value is one schema, a list of schemas, or a map of names to schemas.
ONE_SCHEMA = {"items", "not", "additionalProperties"}
SCHEMA_LIST = {"allOf", "oneOf", "anyOf"}
SCHEMA_MAP = {"properties"}
# OpenAPI's own keywords that do not restrict which values a response may hold: `example` is a
# sample, `discriminator` a hint for code generators (the `oneOf` beside it does the validating),
# readOnly/writeOnly concern requests, the rest is documentation.
NOT_CONSTRAINTS = {"example", "discriminator", "readOnly", "writeOnly", "xml", "externalDocs",
                   "deprecated"}

# Formats OpenAPI 3.0 defines (int32, int64) or the excerpt uses (uint64 from Feldera's Rust
# types, uuid, date-time), each checked by the library's or a packaged checker. JSON Schema leaves
# unknown formats unchecked; `test_every_format_in_the_excerpt_is_checked` notices a new one.
INTEGER_RANGES = {
    "int32": (-2**31, 2**31 - 1),
    "int64": (-2**63, 2**63 - 1),
    "uint32": (0, 2**32 - 1),
    "uint64": (0, 2**64 - 1),
}
CHECKED_FORMATS = set(INTEGER_RANGES) | {"uuid", "date-time"}


class UnsupportedSchema(ValueError):
    """The excerpt uses an OpenAPI feature the conversion does not know how to carry over."""


def to_json_schema(schema):
    """One OpenAPI 3.0 Schema Object (or Reference Object) as a JSON Schema draft 4 schema.

    Where the dialects differ:
    - `$ref`: a Reference Object stands alone (OpenAPI ignores anything beside it). References
      must point into the document's `#/components/schemas/`; they stay as written and resolve
      against the converted document (`FelderaSchemas.document`), which keeps that layout.
    - `nullable: true` allows null besides what the schema allows. JSON Schema has no such
      keyword, so the schema becomes `anyOf: [{type: null}, schema]`. Wrapping, rather than adding
      "null" to `type`, also covers the schemas where null would still be refused by another
      keyword: `enum`, and above all Feldera's `Option<T>` fields, written as
      `{allOf: [{$ref: T}], nullable: true}`, whose referenced schema says `type: object`.
      (OpenAPI 3.0.3's wording limits `nullable` to schemas with a `type` of their own; Feldera's
      generator and servers mean, and send, null for those `allOf` fields, so null is allowed.)
    - OpenAPI-only keywords that constrain nothing (`example`, `discriminator`, ...) and `x-`
      extensions are dropped.
    Any other keyword raises UnsupportedSchema, so a refreshed excerpt cannot slip past with a
    keyword silently ignored.
    """
    if not isinstance(schema, dict):
        raise UnsupportedSchema(f"a schema must be an object, not {schema!r}")
    if "$ref" in schema:
        return {"$ref": checked_reference(schema["$ref"])}
    converted = {}
    for keyword, value in schema.items():
        if keyword in SAME_MEANING:
            converted[keyword] = value
        elif keyword in ONE_SCHEMA:
            converted[keyword] = value if isinstance(value, bool) else to_json_schema(value)
        elif keyword in SCHEMA_LIST:
            converted[keyword] = [to_json_schema(item) for item in value]
        elif keyword in SCHEMA_MAP:
            converted[keyword] = {name: to_json_schema(item) for name, item in value.items()}
        elif keyword == "nullable" or keyword in NOT_CONSTRAINTS or keyword.startswith("x-"):
            continue
        else:
            raise UnsupportedSchema(f"keyword {keyword!r} is not handled by the conversion")
    if schema.get("nullable") is True:
        return {"anyOf": [{"type": "null"}, converted]}
    return converted


def checked_reference(reference):
    """`reference` if it names a schema of the document; UnsupportedSchema otherwise."""
    if not isinstance(reference, str) or not reference.startswith(SCHEMA_REF_PREFIX):
        raise UnsupportedSchema(f"$ref {reference!r} does not point into {SCHEMA_REF_PREFIX}")
    return reference


def format_checker():
    """A checker for CHECKED_FORMATS; a value of another JSON type passes, as JSON Schema says."""
    checker = jsonschema.FormatChecker(formats=["uuid"])  # the library's own uuid check
    for name, (lowest, highest) in INTEGER_RANGES.items():
        checker.checks(name)(integer_in_range(lowest, highest))
    checker.checks("date-time", raises=ValueError)(rfc3339_date_time)
    return checker


def integer_in_range(lowest, highest):
    """A format check: an integer within [lowest, highest]."""
    def check(instance):
        if isinstance(instance, bool) or not isinstance(instance, int):
            return True
        return lowest <= instance <= highest
    return check


def rfc3339_date_time(instance):
    """A format check: an RFC 3339 date-time (OpenAPI's `date-time`), read by pyRFC3339."""
    if isinstance(instance, str):
        pyrfc3339.parse(instance)  # raises ValueError unless RFC 3339
    return True


def load_excerpt(path=EXCERPT_PATH):
    """The OpenAPI document, as committed."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


class FelderaSchemas:
    """Feldera's named schemas, converted, each usable to validate a JSON value."""

    def __init__(self, openapi=None):
        self.openapi = load_excerpt() if openapi is None else openapi
        schemas = self.openapi["components"]["schemas"]
        # Same layout as the OpenAPI document, so that every `$ref` resolves unchanged.
        self.document = {"components": {"schemas": {
            name: to_json_schema(schema) for name, schema in schemas.items()}}}
        self.resolver = jsonschema.RefResolver.from_schema(self.document)
        self.checker = format_checker()

    def names(self):
        return list(self.document["components"]["schemas"])

    def validator(self, name):
        """A draft 4 validator of the schema `name`; KeyError if the excerpt has no such schema."""
        if name not in self.document["components"]["schemas"]:
            raise KeyError(f"the excerpt has no schema {name!r}")
        return jsonschema.Draft4Validator({"$ref": SCHEMA_REF_PREFIX + name},
                                          resolver=self.resolver, format_checker=self.checker)

    def problems(self, name, instance):
        """Why `instance` is not a valid `name`, one readable line per violation; [] if valid."""
        errors = sorted(self.validator(name).iter_errors(instance), key=lambda e: list(e.path))
        return [describe(error) for error in errors]

    def response_schema(self, path, method, status):
        """The schema name Feldera documents for answering `status` to `method` on `path` (a
        path template of the excerpt); None when that status is not documented there."""
        responses = self.openapi["paths"][path][method.lower()]["responses"]
        response = responses.get(str(status))
        if response is None:
            return None
        reference = response["content"]["application/json"]["schema"]["$ref"]
        return checked_reference(reference)[len(SCHEMA_REF_PREFIX):]

    def documented_examples(self):
        """Every example body the excerpt's paths give: (label, schema name, body)."""
        for path, operations in self.openapi["paths"].items():
            for method, operation in operations.items():
                for status, response in operation["responses"].items():
                    for media in response.get("content", {}).values():
                        yield from media_examples(f"{method.upper()} {path} {status}", media)


def media_examples(label, media):
    """The examples of one Media Type Object, with the schema they illustrate."""
    reference = media["schema"]["$ref"]
    name = checked_reference(reference)[len(SCHEMA_REF_PREFIX):]
    if "example" in media:
        yield label, name, media["example"]
    for example_name, example in media.get("examples", {}).items():
        yield f"{label} ({example_name})", name, example["value"]


def describe(error):
    """One validation error as `at $.a.b: message`; below an anyOf/oneOf/allOf that failed, also
    the most specific reason found inside it."""
    text = f"at {json_path(error.absolute_path)}: {shortened(error.message)}"
    reason = closest_reason(error)
    if reason is not error:
        text += f" -- at {json_path(reason.absolute_path)}: {shortened(reason.message)}"
    return text


def closest_reason(error):
    """The deepest error below `error`'s alternatives, skipping the `null` branch that
    `nullable` added (its "is not of type 'null'" says nothing about the value)."""
    while error.context:
        candidates = [e for e in error.context
                      if not (e.validator == "type" and e.validator_value == "null")]
        if not candidates:
            break
        error = max(candidates, key=lambda e: len(e.absolute_path))
    return error


def json_path(path):
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def shortened(message, limit=300):
    """Messages quote the whole failing value, which may be a whole answer."""
    return message if len(message) <= limit else message[:limit] + "..."
