#!/usr/bin/python3
"""The oracle itself: Feldera's OpenAPI 3.0 schemas, converted to JSON Schema, accept what
Feldera's schemas allow and refuse what they do not.

The other schema tests trust `openapi_schemas` to say whether an answer is what Feldera sends;
these tests check that trust on hand-made documents, without any binary: where OpenAPI 3.0 and
JSON Schema differ (`nullable`, `allOf` + `nullable`, `$ref`, `example`), on the fields this
project depends on (`start_time` is an integer, `Configuration` has required fields), on
Feldera's own example bodies, and that a change in the committed excerpt changes the verdict.
"""

import copy
import json

import jsonschema

import harness
from openapi_schemas import (CHECKED_FORMATS, EXCERPT_PATH, FelderaSchemas, UnsupportedSchema,
                             load_excerpt, to_json_schema)

SCHEMAS = harness.SCHEMAS
INCARNATION = "0196b120-6203-7b90-b6bd-16890df15e28"  # from Feldera's documentation


def global_metrics():
    """A GlobalControllerMetrics as a running Feldera pipeline reports it."""
    return {
        "state": "Running", "bootstrap_in_progress": False,
        "transaction_status": "NoTransaction", "transaction_id": 0,
        "transaction_initiators": {"transaction_id": None, "initiated_by_api": None,
                                   "initiated_by_connectors": {}},
        "concurrent_bootstrap_phase": "Inactive",
        "rss_bytes": 104857600, "memory_pressure": "low", "memory_pressure_epoch": 0,
        "cpu_msecs": 1200, "uptime_msecs": 60000,
        "start_time": 1746728411, "initial_start_time": 1746728411,
        "incarnation_uuid": INCARNATION,
        "storage_bytes": 0, "storage_mb_secs": 0, "runtime_elapsed_msecs": 900,
        "buffered_input_records": 0, "buffered_input_bytes": 0,
        "total_input_records": 3, "total_input_bytes": 60,
        "total_processed_records": 3, "total_processed_bytes": 60,
        "total_completed_records": 3, "output_stall_msecs": 0,
        "total_initiated_steps": 5, "total_completed_steps": 5, "pipeline_complete": False,
        "commit_progress": None,
    }


def input_endpoint():
    """An InputEndpointStatus of one HTTP ingress connector."""
    return {
        "endpoint_name": "numbers.api-ingress", "config": {"stream": "numbers"},
        "metrics": {"total_bytes": 60, "total_records": 3, "buffered_records": 0,
                    "buffered_bytes": 0, "num_transport_errors": 0, "num_parse_errors": 0,
                    "end_of_input": False, "processing_latency_p99_micros": None},
        "paused": False, "barrier": False, "fatal_error": None, "health": None,
        "completed_frontier": None, "parse_errors": None, "transport_errors": None,
    }


def controller_status():
    """A whole /stats answer."""
    return {"global_metrics": global_metrics(), "inputs": [input_endpoint()], "outputs": [],
            "checkpoint_activity": {"status": "idle"}, "suspend_error": None,
            "permanent_checkpoint_errors": None}


def configuration():
    """A Configuration with every field Feldera's OpenAPI requires."""
    build_info = {key: "" for key in (
        "build_timestamp", "build_cpu", "build_os", "cargo_dependencies", "cargo_features",
        "cargo_debug", "cargo_opt_level", "cargo_target_triple", "rustc_version")}
    return {"posthog": "", "conceptualhq": "", "product_fruits": "", "edition": "Open source",
            "version": "0.337.0", "revision": "5c7931d09fc3", "runtime_revision": "5c7931d09fc3",
            "changelog_url": "", "build_info": build_info, "build_source": "source",
            "license_validity": None, "update_info": None, "unstable_features": None}


def with_field(document, path, value):
    """A deep copy of `document` with the field at `path` (a list of keys) set to `value`."""
    changed = copy.deepcopy(document)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


def without_field(document, key):
    changed = copy.deepcopy(document)
    del changed[key]
    return changed


class ConversionTestCase(harness.SchemaTestCase):
    def assert_rejected(self, schema_name, document, reason_fragment):
        problems = SCHEMAS.problems(schema_name, document)
        self.assertTrue(problems, f"{schema_name} accepted {json.dumps(document)[:300]}")
        self.assertIn(reason_fragment, "\n".join(problems))


class TheExcerpt(ConversionTestCase):
    def test_every_schema_converts_to_a_valid_draft4_schema(self):
        for name, schema in SCHEMAS.document["components"]["schemas"].items():
            with self.subTest(schema=name):
                jsonschema.Draft4Validator.check_schema(schema)

    def test_every_reference_resolves_in_the_document(self):
        references = {node["$ref"] for node in json_objects(SCHEMAS.openapi) if "$ref" in node}
        self.assertTrue(references)
        for reference in references:
            with self.subTest(ref=reference):
                SCHEMAS.resolver.resolve(reference)

    def test_every_format_in_the_excerpt_is_checked(self):
        formats = {node["format"] for node in json_objects(SCHEMAS.openapi["components"])
                   if isinstance(node.get("format"), str)}
        self.assertTrue(formats)
        self.assertEqual(formats - CHECKED_FORMATS, set(),
                         "formats the conversion does not check yet")

    def test_the_schemas_are_read_from_the_committed_file(self):
        self.assertEqual(SCHEMAS.openapi, load_excerpt(EXCERPT_PATH))
        self.assertEqual(sorted(SCHEMAS.names()), sorted(SCHEMAS.openapi["components"]["schemas"]))


def json_objects(node):
    """Every JSON object in `node`, at any depth."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from json_objects(value)
    elif isinstance(node, list):
        for item in node:
            yield from json_objects(item)


class Nullable(ConversionTestCase):
    def test_null_is_accepted_where_nullable(self):
        self.assert_schema("CompletionStatusResponse", {"status": "inprogress", "step": None})
        self.assert_schema("InputEndpointStatus", input_endpoint())  # fatal_error etc. null

    def test_null_is_accepted_for_allof_reference_with_nullable(self):
        # Feldera's Option<T> of a named type: {"allOf": [{"$ref": T}], "nullable": true}.
        for field in ("license_validity", "update_info"):
            with self.subTest(field=field):
                self.assert_schema("Configuration", with_field(configuration(), [field], None))
        self.assert_schema("ControllerStatus",
                           with_field(controller_status(), ["checkpoint_activity"], None))

    def test_a_value_under_allof_nullable_is_still_checked_against_the_reference(self):
        self.assert_schema("Configuration", with_field(
            configuration(), ["license_validity"], {"DoesNotExistOrNotConfirmed": "no key"}))
        self.assert_rejected("Configuration", with_field(
            configuration(), ["license_validity"], {"Exists": {"is_trial": "yes"}}),
            "license_validity")
        self.assert_rejected("InputEndpointStatus",
                             with_field(input_endpoint(), ["health"], {"status": "Fine"}),
                             "'Fine' is not one of ['Healthy', 'Unhealthy']")

    def test_null_is_rejected_where_not_nullable(self):
        self.assert_rejected("CompletionStatusResponse", {"status": None},
                             "None is not one of ['complete', 'inprogress']")
        self.assert_rejected("Configuration", with_field(configuration(), ["edition"], None),
                             "None is not of type 'string'")
        self.assert_rejected("ControllerStatus",
                             with_field(controller_status(), ["global_metrics"], None),
                             "global_metrics")

    def test_nullable_wraps_the_whole_schema(self):
        converted = to_json_schema({"type": "string", "enum": ["a"], "nullable": True})
        self.assertEqual(converted, {"anyOf": [{"type": "null"},
                                               {"type": "string", "enum": ["a"]}]})


class Types(ConversionTestCase):
    def test_start_time_is_integer_seconds_not_rfc3339_text(self):
        self.assert_schema("ControllerStatus", controller_status())
        for field in ("start_time", "initial_start_time"):
            with self.subTest(field=field):
                self.assert_rejected("ControllerStatus", with_field(
                    controller_status(), ["global_metrics", field], "2025-05-08T18:20:11.651Z"),
                    f"$.global_metrics.{field}: '2025-05-08T18:20:11.651Z' is not of type "
                    "'integer'")
                self.assert_rejected("GlobalControllerMetrics",
                                     with_field(global_metrics(), [field], -1), "minimum")

    def test_integers_are_whole_numbers_within_their_format(self):
        self.assert_rejected("CompletionStatusResponse", {"status": "complete", "step": 3.0},
                             "3.0 is not of type 'integer'")
        self.assert_rejected("CompletionStatusResponse", {"status": "complete", "step": True},
                             "True is not of type 'integer'")
        self.assert_rejected("CompletionStatusResponse", {"status": "complete", "step": 2**63},
                             "is not a 'int64'")
        self.assert_schema("CheckpointMetadata", {"uuid": INCARNATION, "fingerprint": 2**64 - 1})
        self.assert_rejected("CheckpointMetadata", {"uuid": INCARNATION, "fingerprint": 2**64},
                             "is not a 'uint64'")

    def test_uuid_and_date_time_formats_are_checked(self):
        self.assert_rejected("GlobalControllerMetrics",
                             with_field(global_metrics(), ["incarnation_uuid"], "not-a-uuid"),
                             "is not a 'uuid'")
        failure = {"sequence_number": 1, "error": "disk full",
                   "failed_at": "2026-08-21T10:00:00.123Z"}
        self.assert_schema("CheckpointStatus", {"success": None, "failure": failure})
        self.assert_rejected("CheckpointStatus", {"failure": with_field(
            failure, ["failed_at"], "2026-08-21 10:00:00")}, "is not a 'date-time'")

    def test_oneof_alternatives(self):
        self.assert_schema("ControllerStatus", with_field(
            controller_status(), ["checkpoint_activity"],
            {"status": "in_progress", "started_at": "2026-08-21T10:00:00Z"}))
        self.assert_rejected("ControllerStatus", with_field(
            controller_status(), ["checkpoint_activity"], {"status": "busy"}),
            "checkpoint_activity")


class RequiredFields(ConversionTestCase):
    def test_configuration_without_posthog_is_rejected(self):
        self.assert_schema("Configuration", configuration())
        self.assert_rejected("Configuration", without_field(configuration(), "posthog"),
                             "'posthog' is a required property")

    def test_every_required_field_of_configuration_is_needed(self):
        for field in SCHEMAS.openapi["components"]["schemas"]["Configuration"]["required"]:
            with self.subTest(field=field):
                self.assert_rejected("Configuration", without_field(configuration(), field),
                                     f"'{field}' is a required property")

    def test_error_response_needs_message_error_code_and_details(self):
        body = {"message": "m", "error_code": "E", "details": {}}
        self.assert_schema("ErrorResponse", body)
        for field in body:
            with self.subTest(field=field):
                self.assert_rejected("ErrorResponse", without_field(body, field),
                                     f"'{field}' is a required property")


class Examples(ConversionTestCase):
    def test_feldera_example_bodies_are_accepted(self):
        examples = list(SCHEMAS.documented_examples())
        self.assertGreaterEqual(len(examples), 2)
        for label, schema_name, body in examples:
            with self.subTest(example=label):
                self.assert_schema(schema_name, body)

    def test_openapi_example_is_not_a_constraint(self):
        # ErrorResponse.error_code carries `example: "CodeSpecifyingErrorType"`.
        kept = [node for node in json_objects(SCHEMAS.document)
                if "example" in node and not isinstance(node["example"], dict)]
        self.assertEqual(kept, [])
        self.assert_schema("ErrorResponse",
                           {"message": "m", "error_code": "UnknownPipelineName", "details": {}})


class Conversion(ConversionTestCase):
    def test_unknown_keywords_are_refused_not_ignored(self):
        with self.assertRaisesRegex(UnsupportedSchema, "'const'"):
            to_json_schema({"type": "string", "const": "x"})
        with self.assertRaisesRegex(UnsupportedSchema, "'patternProperties'"):
            to_json_schema({"properties": {"a": {"patternProperties": {}}}})

    def test_references_must_point_into_the_document_schemas(self):
        with self.assertRaisesRegex(UnsupportedSchema, "does not point into"):
            to_json_schema({"$ref": "https://example.org/schema.json"})

    def test_a_reference_object_stands_alone(self):
        self.assertEqual(to_json_schema({"$ref": "#/components/schemas/X", "description": "d"}),
                         {"$ref": "#/components/schemas/X"})

    def test_a_property_named_like_a_keyword_is_a_property(self):
        converted = to_json_schema({"type": "object", "required": ["example"],
                                    "properties": {"example": {"type": "integer"}}})
        self.assertEqual(converted["properties"], {"example": {"type": "integer"}})

    def test_a_schema_change_in_the_excerpt_changes_the_verdict(self):
        body = {"status": "inprogress", "step": None}
        self.assert_schema("CompletionStatusResponse", body)
        changed = copy.deepcopy(SCHEMAS.openapi)
        del changed["components"]["schemas"]["CompletionStatusResponse"]["properties"]["step"][
            "nullable"]
        self.assertTrue(FelderaSchemas(changed).problems("CompletionStatusResponse", body))

    def test_response_schemas_come_from_the_documented_paths(self):
        path = "/v0/pipelines/{pipeline_name}/completion_status"
        self.assertEqual(SCHEMAS.response_schema(path, "GET", 202), "CompletionStatusResponse")
        self.assertEqual(SCHEMAS.response_schema(path, "GET", 410), "ErrorResponse")
        self.assertIsNone(SCHEMAS.response_schema(path, "GET", 418))
        self.assertEqual(SCHEMAS.response_schema("/v0/config", "GET", 200), "Configuration")


if __name__ == "__main__":
    harness.main()
