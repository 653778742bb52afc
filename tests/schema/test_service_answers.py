#!/usr/bin/python3
"""The service's own answers, checked against Feldera's OpenAPI schemas and the README.

completion-sidecar promises Feldera's exact contract, so that Feldera's SDKs and CLI can talk to
it unchanged. Here the real binary runs in standalone mode in front of the real simulator, and
every kind of answer it gives over HTTP is validated against the schema Feldera publishes for it:
GET /v0/config against Configuration, completion_status against CompletionStatusResponse (for the
status codes Feldera documents on that path), proxied token answers against
CompletionTokenResponse, and every error against ErrorResponse. Each error's status code and
error_code are also checked against the README's API reference, so that a right body with a wrong
code fails too.
"""

import json
import urllib.parse

import harness
from harness import request

COMPLETION_STATUS = "/v0/pipelines/{pipeline_name}/completion_status"
COMPLETION_TOKEN = ("/v0/pipelines/{pipeline_name}/tables/{table_name}/connectors/"
                    "{connector_name}/completion_token")
PIPELINE = "demo"
API_KEY = "schema-test-key-0123456789"
MAX_WAIT_MS = 30000  # tracker.max_wait_ms's default
UNKNOWN_ENDPOINT_ID = 99


class ServiceTestCase(harness.SchemaTestCase):
    """A simulator and the service in front of it, for the class.

    Subclasses may set EXTRA_CONFIG (YAML appended to the service's config, or override
    extra_config), STALL_SIM_MS (the simulator holds every pipeline request that long, from
    before the service starts) and WAIT_READY (wait for /readyz 200 before the tests)."""

    EXTRA_CONFIG = ""
    STALL_SIM_MS = 0
    WAIT_READY = True

    @classmethod
    def setUpClass(cls):
        cls.sim, cls.sim_port = harness.start_simulator(cls)
        if cls.STALL_SIM_MS:
            harness.request(cls.sim_port, "POST", f"/sim/stall?ms={cls.STALL_SIM_MS}")
        config = ("pipelines:\n"
                  "  probe_interval_ms: 100\n"
                  "  static:\n"
                  f"    - {{name: {PIPELINE}, url: \"http://127.0.0.1:{cls.sim_port}\"}}\n"
                  + cls.extra_config())
        cls.service, cls.port = harness.start_service(cls, config)
        if cls.WAIT_READY:
            harness.wait_until(lambda: request(cls.port, "GET", "/readyz").status == 200,
                               "the service to be ready")

    @classmethod
    def extra_config(cls):
        return cls.EXTRA_CONFIG

    # -- requests

    def get(self, target, headers=None):
        return request(self.port, "GET", target, headers=headers)

    def post(self, target, body=b"", headers=None):
        return request(self.port, "POST", target, body=body, headers=headers)

    def sim_control(self, target):
        answer = request(self.sim_port, "POST", target)
        self.assertEqual(answer.status, 200, answer)
        return answer.json()

    def sim_paused(self):
        """Pauses the pipeline until the test ends, so that new tokens stay in progress."""
        self.sim_control("/sim/pause")
        self.addCleanup(self.sim_control, "/sim/resume")

    def ingest(self, records=1):
        """Pushes records through the service's ingress proxy; returns the token."""
        body = "\n".join(json.dumps({"n": i}) for i in range(records)).encode()
        answer = self.post(f"/v0/pipelines/{PIPELINE}/ingress/numbers?format=json", body)
        self.assertEqual(answer.status, 200, answer)
        return answer.json()["token"]

    def status(self, token, query="", pipeline=PIPELINE, headers=None):
        quoted = urllib.parse.quote(token, safe="")
        return self.get(f"/v0/pipelines/{pipeline}/completion_status?token={quoted}{query}",
                        headers)

    def status_until(self, token, wanted_status, what):
        """Asks about `token` until the answer has `wanted_status`; returns that answer."""
        def answer_if_wanted():
            answer = self.status(token)
            return answer if answer.status == wanted_status else None
        return harness.wait_until(answer_if_wanted, what)

    # -- assertions

    def assert_service_error(self, answer, status, error_code, documented_path=None):
        """An ErrorResponse with `status` and `error_code`, a pair the README's API reference
        gives; Retry-After on every 503 (README). With `documented_path`, Feldera's OpenAPI must
        document `status` for GET on that path, and its schema is the one checked."""
        body = self.assert_error(answer, status, error_code)
        if documented_path is not None:
            self.assert_documented_answer(answer, documented_path, "GET", status)
        if error_code is not None:
            self.assert_in_readme(status, error_code)
        if status == 503:
            self.assertTrue(answer.headers.get("retry-after", "").isdigit(), answer.headers)
        return body


class Configuration(ServiceTestCase):
    """GET /v0/config without feldera.api_url: the service's own Configuration, which the
    README says has every field Feldera's OpenAPI marks required."""

    def test_config_is_a_configuration(self):
        self.assert_documented_answer(self.get("/v0/config"), "/v0/config", "GET", 200)


class CompletionStatusAnswers(ServiceTestCase):
    def test_in_progress_is_202_completion_status_response(self):
        self.sim_paused()
        body = self.assert_documented_answer(self.status(self.ingest()), COMPLETION_STATUS,
                                             "GET", 202)
        self.assertEqual(body["status"], "inprogress")

    def test_complete_is_200_completion_status_response(self):
        answer = self.status_until(self.ingest(), 200, "the token to complete")
        body = self.assert_documented_answer(answer, COMPLETION_STATUS, "GET", 200)
        self.assertEqual(body["status"], "complete")

    def test_long_poll_answers_are_completion_status_responses(self):
        token = self.ingest()
        self.assert_documented_answer(self.status(token, "&wait_ms=10000"), COMPLETION_STATUS,
                                      "GET", 200)
        self.sim_paused()
        self.assert_documented_answer(self.status(self.ingest(), "&wait_ms=50"),
                                      COMPLETION_STATUS, "GET", 202)


class ProxiedAnswers(ServiceTestCase):
    def test_ingress_answer_is_a_completion_token_response(self):
        answer = self.post(f"/v0/pipelines/{PIPELINE}/ingress/numbers?format=json", b'{"n": 1}')
        self.assert_answer(answer, 200, "CompletionTokenResponse")

    def test_completion_token_answer_is_documented(self):
        for connector in ("kafka", "api-ingress"):
            with self.subTest(connector=connector):
                answer = self.get(f"/v0/pipelines/{PIPELINE}/tables/numbers/connectors/"
                                  f"{connector}/completion_token")
                self.assert_documented_answer(answer, COMPLETION_TOKEN, "GET", 200)

    def test_pipeline_errors_pass_through_as_error_responses(self):
        for method, target, body, status in (
                ("POST", "/ingress/nosuchtable?format=json", b'{"n": 1}', 404),
                ("POST", "/ingress/numbers?format=json", b'{"n": ', 400),
                ("POST", "/ingress/numbers?format=xml", b"<n>1</n>", 400),
                ("GET", "/tables/numbers/connectors/nosuch/completion_token", None, 404)):
            with self.subTest(target=target):
                answer = request(self.port, method, f"/v0/pipelines/{PIPELINE}{target}", body)
                self.assert_error(answer, status)

    def test_unknown_pipeline_is_404_unknown_pipeline_name(self):
        answer = self.get("/v0/pipelines/nosuchpipeline/tables/numbers/connectors/kafka/"
                          "completion_token")
        body = self.assert_service_error(answer, 404, "UnknownPipelineName", COMPLETION_TOKEN)
        self.assertEqual(body["details"], {"pipeline_name": "nosuchpipeline"})
        answer = self.post("/v0/pipelines/nosuchpipeline/ingress/numbers?format=json", b"{}")
        self.assert_service_error(answer, 404, "UnknownPipelineName")


class ErrorAnswers(ServiceTestCase):
    def test_missing_token_is_400(self):
        answer = self.get(f"/v0/pipelines/{PIPELINE}/completion_status")
        self.assert_service_error(answer, 400, "MissingUrlEncodedParam", COMPLETION_STATUS)

    def test_bad_token_is_400(self):
        for token in ("not-base64!", "bm90IGpzb24", harness.completion_token("x", 1, 1)):
            with self.subTest(token=token):
                self.assert_service_error(self.status(token), 400, "InvalidParam",
                                          COMPLETION_STATUS)

    def test_bad_wait_ms_is_400(self):
        token = self.ingest()
        for wait in ("-1", "soon", str(MAX_WAIT_MS + 1)):
            with self.subTest(wait_ms=wait):
                self.assert_service_error(self.status(token, "&wait_ms=" + wait), 400,
                                          "InvalidParam", COMPLETION_STATUS)

    def test_unknown_pipeline_is_404(self):
        body = self.assert_service_error(self.status(self.ingest(), pipeline="nosuchpipeline"),
                                         404, "UnknownPipelineName", COMPLETION_STATUS)
        self.assertEqual(body["details"], {"pipeline_name": "nosuchpipeline"})

    def test_unknown_path_is_404(self):
        for target in ("/v0/nosuchpath", "/nosuchpath", f"/v0/pipelines/{PIPELINE}/nosuch"):
            with self.subTest(target=target):
                self.assert_service_error(self.get(target), 404, "NotFound")

    def test_wrong_method_is_405(self):
        for method, target in (("POST", f"/v0/pipelines/{PIPELINE}/completion_status?token=x"),
                               ("DELETE", "/v0/config"),
                               ("GET", f"/v0/pipelines/{PIPELINE}/ingress/numbers"),
                               ("POST", "/healthz")):
            with self.subTest(method=method, target=target):
                self.assert_service_error(request(self.port, method, target), 405,
                                          "MethodNotAllowed")

    def test_token_of_an_unknown_endpoint_is_410(self):
        incarnation = request(self.sim_port, "GET", "/sim/state").json()["incarnation_uuid"]
        token = harness.completion_token(incarnation, UNKNOWN_ENDPOINT_ID, 1)
        self.assert_service_error(self.status_until(token, 410, "a 410"), 410,
                                  "UnknownEndpointInCompletionToken", COMPLETION_STATUS)

    def test_token_of_a_restarted_pipeline_is_410(self):
        token = self.ingest()
        self.sim_control("/sim/restart?checkpoint=true")
        answer = self.status_until(token, 410, "the service to see the restart")
        self.assert_service_error(answer, 410, "PipelineRestarted", COMPLETION_STATUS)


class PipelineFaults(ServiceTestCase):
    """What the service answers for a pipeline that answers with an error or with garbage."""

    def faulty_completion_status(self, kind, status):
        """Every completion_status request to the pipeline gets this fault until the test ends."""
        self.sim_control(f"/sim/fault?path=completion_status&kind={kind}&status={status}")
        self.addCleanup(self.sim_control, "/sim/fault?path=completion_status&status=0")

    # The service may go on answering what it last learnt of the pipeline (another test's fault)
    # until its next probe, so each test asks until the answer of its own fault comes.

    def test_pipeline_500_passes_through(self):
        self.sim_paused()
        token = self.ingest()
        self.faulty_completion_status("error", 500)
        answer = self.status_until(token, 500, "the pipeline's 500")
        self.assert_error(answer, 500, "PipelineInternalError")  # the simulator's error_code
        self.assert_service_error(answer, 500, None, COMPLETION_STATUS)

    def test_pipeline_503_passes_through_with_retry_after(self):
        self.sim_paused()
        token = self.ingest()
        self.faulty_completion_status("error", 503)
        answer = self.status_until(token, 503, "the pipeline's 503")
        self.assert_error(answer, 503, "PipelineUnavailable")  # the simulator's error_code
        self.assert_service_error(answer, 503, None, COMPLETION_STATUS)

    def test_garbage_from_the_pipeline_is_503_unreachable(self):
        self.sim_paused()
        token = self.ingest()
        for kind in ("non_json", "wrong_shape"):
            with self.subTest(kind=kind):
                self.faulty_completion_status(kind, 200)
                answer = self.status_until(token, 503, f"the service to refuse {kind}")
                self.assert_service_error(answer, 503, "PipelineInteractionUnreachable",
                                          COMPLETION_STATUS)


class UnreachablePipeline(ServiceTestCase):
    def test_killed_pipeline_is_503_unreachable(self):
        self.sim_control("/sim/pause")  # the token stays in progress: no answer from memory
        token = self.ingest()
        self.sim.kill()
        answer = self.status_until(token, 503, "the service to find the pipeline gone")
        self.assert_service_error(answer, 503, "PipelineInteractionUnreachable",
                                  COMPLETION_STATUS)
        for method, target, body in (
                ("POST", "/ingress/numbers?format=json", b'{"n": 1}'),
                ("GET", "/tables/numbers/connectors/kafka/completion_token", None)):
            with self.subTest(target=target):
                answer = request(self.port, method, f"/v0/pipelines/{PIPELINE}{target}", body)
                self.assert_service_error(answer, 503, "PipelineInteractionUnreachable")


class RequestLimits(ServiceTestCase):
    EXTRA_CONFIG = ("limits:\n"
                    "  max_url_bytes: 256\n"
                    "  max_headers: 8\n"
                    "  max_header_bytes: 1024\n"
                    "  max_body_bytes: 1024\n"
                    "  max_held_long_polls: 0\n")

    def assert_refusal(self, answer, status, error_code, limit):
        body = self.assert_service_error(answer, status, error_code)
        self.assertEqual(body["details"].get("limit"), limit, answer)

    def test_long_target_is_414(self):
        self.assert_refusal(self.status("A" * 300), 414, "UriTooLong", 256)

    def test_too_many_headers_is_431(self):
        headers = {f"X-Filler-{i}": "x" for i in range(10)}
        self.assert_refusal(self.status(self.ingest(), headers=headers), 431,
                            "RequestHeaderFieldsTooLarge", 8)

    def test_too_large_headers_is_431(self):
        self.assert_refusal(self.status(self.ingest(), headers={"X-Filler": "x" * 2000}), 431,
                            "RequestHeaderFieldsTooLarge", 1024)

    def test_too_large_body_is_413(self):
        body = b'{"n": 1}\n' * 256
        answer = self.post(f"/v0/pipelines/{PIPELINE}/ingress/numbers?format=json", body)
        self.assert_refusal(answer, 413, "PayloadTooLarge", 1024)

    def test_long_poll_beyond_the_cap_is_503(self):
        answer = self.status(self.ingest(), "&wait_ms=1000")
        self.assert_refusal(answer, 503, "TooManyLongPolls", 0)


class Authentication(ServiceTestCase):
    @classmethod
    def extra_config(cls):
        keys = harness.write_temp_file("api-keys-", f"# the schema tests' key\n{API_KEY}\n")
        return f"auth:\n  api_keys_file: {keys}\n"

    def assert_unauthenticated(self, answer):
        self.assert_service_error(answer, 401, "AuthenticationFailed")
        self.assertTrue(answer.headers.get("www-authenticate", "").startswith("Bearer"),
                        answer.headers)

    def test_missing_or_wrong_key_is_401(self):
        targets = (f"/v0/pipelines/{PIPELINE}/completion_status?token=x", "/v0/config",
                   "/v0/nosuchpath", f"/v0/pipelines/{PIPELINE}/tables/numbers/connectors/"
                                     "kafka/completion_token")
        for headers in ({}, {"Authorization": "Bearer wrong-key"}, {"Authorization": API_KEY}):
            for target in targets:
                with self.subTest(headers=headers, target=target):
                    self.assert_unauthenticated(self.get(target, headers))

    def test_right_key_gets_the_answer(self):
        headers = {"Authorization": f"Bearer {API_KEY}"}
        answer = self.post(f"/v0/pipelines/{PIPELINE}/ingress/numbers?format=json", b'{"n": 1}',
                           headers)
        token = self.assert_answer(answer, 200, "CompletionTokenResponse")["token"]
        answer = self.status(token, headers=headers)
        self.assertIn(answer.status, (200, 202), answer)
        self.assert_documented_answer(answer, COMPLETION_STATUS, "GET", answer.status)


class Readiness(ServiceTestCase):
    """/readyz before every pipeline has been probed: the simulator holds the first probe."""

    STALL_SIM_MS = 20000
    WAIT_READY = False
    EXTRA_CONFIG = "upstream:\n  timeout_ms: 30000\n"

    def test_not_ready_is_503(self):
        self.assert_service_error(self.get("/readyz"), 503, "NotReady")


if __name__ == "__main__":
    harness.main()
