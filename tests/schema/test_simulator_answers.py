#!/usr/bin/python3
"""Every kind of answer feldera-sim gives, checked against Feldera's OpenAPI schemas.

The service's own tests run against the simulator, so a simulator that answers in a shape real
Feldera never sends (say, `start_time` as text where Feldera sends integer seconds) makes them
test the wrong thing. Here each answer of the real binary, over a loopback socket, is validated
against the schema Feldera publishes for it: /stats against ControllerStatus, completion_status
against CompletionStatusResponse, token answers against CompletionTokenResponse, every error
against ErrorResponse, with the status codes and error codes of docs/feldera.md.

The manager mode (`--manager NAME`, the manager's /v0/pipelines/NAME/... paths) is checked the
same way.
"""

import json
import unittest
import urllib.parse

import harness
from harness import request

COMPLETION_STATUS = "/v0/pipelines/{pipeline_name}/completion_status"
COMPLETION_TOKEN = ("/v0/pipelines/{pipeline_name}/tables/{table_name}/connectors/"
                    "{connector_name}/completion_token")
UNKNOWN_ENDPOINT_ID = 99


class SimulatorTestCase(harness.SchemaTestCase):
    """One simulator for the class; helpers speak the pipeline process's own API."""

    @classmethod
    def setUpClass(cls):
        cls.sim, cls.port = harness.start_simulator(cls)

    def get(self, target):
        return request(self.port, "GET", target)

    def post(self, target, body=b""):
        return request(self.port, "POST", target, body=body)

    def control(self, target):
        """A control API request that must succeed."""
        answer = self.post(target)
        self.assertEqual(answer.status, 200, answer)
        return answer.json()

    def ingest(self, records=1):
        """Pushes records into table `numbers`; returns the token."""
        body = "\n".join(json.dumps({"n": i}) for i in range(records)).encode()
        answer = self.post("/ingress/numbers?format=json", body)
        self.assertEqual(answer.status, 200, answer)
        return answer.json()["token"]

    def status(self, token):
        return self.get("/completion_status?token=" + urllib.parse.quote(token, safe=""))

    def paused(self):
        """Pauses the pipeline until the test ends, so that new tokens stay in progress."""
        self.control("/sim/pause")
        self.addCleanup(self.control, "/sim/resume")

    def incarnation(self):
        return self.get("/sim/state").json()["incarnation_uuid"]


class Stats(SimulatorTestCase):
    def test_stats_is_a_controller_status(self):
        self.assert_answer(self.get("/stats"), 200, "ControllerStatus")

    def test_stats_with_records_in_flight_is_a_controller_status(self):
        self.paused()
        self.ingest(3)
        self.assert_answer(self.get("/stats"), 200, "ControllerStatus")


class Tokens(SimulatorTestCase):
    def test_ingress_answer_is_a_completion_token_response(self):
        answer = self.post("/ingress/numbers?format=json", b'{"n": 1}\n{"n": 2}\n')
        self.assert_answer(answer, 200, "CompletionTokenResponse")

    def test_ingress_array_answer_is_a_completion_token_response(self):
        answer = self.post("/ingress/numbers?format=json&array=true", b'[{"n": 1}, {"n": 2}]')
        self.assert_answer(answer, 200, "CompletionTokenResponse")

    def test_completion_token_answer_is_a_completion_token_response(self):
        for endpoint in ("numbers.kafka", "numbers.api-ingress"):
            with self.subTest(endpoint=endpoint):
                answer = self.get(f"/input_endpoints/{endpoint}/completion_token")
                self.assert_answer(answer, 200, "CompletionTokenResponse")


class CompletionStatus(SimulatorTestCase):
    def test_in_progress_is_a_completion_status_response(self):
        self.paused()
        body = self.assert_answer(self.status(self.ingest()), 200, "CompletionStatusResponse")
        self.assertEqual(body["status"], "inprogress")

    def test_complete_is_a_completion_status_response(self):
        token = self.ingest()
        complete = harness.wait_until(lambda: self.complete_answer(token), "the token to complete")
        body = self.assert_answer(complete, 200, "CompletionStatusResponse")
        self.assertIsInstance(body["step"], int)

    def complete_answer(self, token):
        """The answer to `token` if it says complete, else None."""
        answer = self.status(token)
        return answer if answer.status == 200 and answer.json()["status"] == "complete" else None

    def test_token_of_an_earlier_count_is_a_completion_status_response(self):
        self.paused()
        token = self.get("/input_endpoints/numbers.kafka/completion_token").json()["token"]
        self.assert_answer(self.status(token), 200, "CompletionStatusResponse")


class ErrorBodies(SimulatorTestCase):
    """Each error the pipeline API and the control API answer, as docs/feldera.md gives it."""

    def assert_no_route(self, answer, error_status=404):
        """A request no route of the pipeline process takes. Feldera's pipeline server (actix-web)
        answers it with a bare 404, no body; OpenAPI documents nothing there. Any body that is
        sent must be an ErrorResponse (404, or `error_status` for a wrong method)."""
        if answer.status == 404 and not answer.body:
            return
        self.assert_error(answer, error_status)

    def test_missing_token(self):
        self.assert_error(self.get("/completion_status"), 400, "MissingUrlEncodedParam")

    def test_bad_tokens(self):
        for token in ("not-base64!", "bm90IGpzb24", harness.completion_token("x", 1, 1)):
            with self.subTest(token=token):
                self.assert_error(self.status(token), 400, "InvalidParam")

    def test_token_of_a_restarted_pipeline(self):
        token = self.ingest()
        self.control("/sim/restart?checkpoint=true")
        self.assert_error(self.status(token), 410, "PipelineRestarted")

    def test_token_of_an_unknown_endpoint(self):
        token = harness.completion_token(self.incarnation(), UNKNOWN_ENDPOINT_ID, 1)
        body = self.assert_error(self.status(token), 410, "UnknownEndpointInCompletionToken")
        self.assertEqual(body["details"], {"endpoint_id": UNKNOWN_ENDPOINT_ID})

    def test_unknown_table(self):
        self.assert_error(self.post("/ingress/nosuchtable?format=json", b'{"n": 1}'), 404)

    def test_unknown_input_endpoint(self):
        self.assert_error(self.get("/input_endpoints/numbers.nosuch/completion_token"), 404)

    def test_parse_error(self):
        self.assert_error(self.post("/ingress/numbers?format=json", b'{"n": '), 400)

    def test_unknown_ingress_format(self):
        self.assert_error(self.post("/ingress/numbers?format=xml", b"<n>1</n>"), 400)

    def test_malformed_request_target(self):
        self.assert_error(self.get("/completion_status?token=%zz"), 400)

    def test_unknown_pipeline_path(self):
        self.assert_no_route(self.get("/nosuchpath"))

    def test_wrong_method_on_a_pipeline_path(self):
        for method, target in (("POST", "/stats"), ("GET", "/ingress/numbers?format=json"),
                               ("DELETE", "/completion_status")):
            with self.subTest(method=method, target=target):
                self.assert_no_route(request(self.port, method, target), 405)

    def test_unknown_control_path(self):
        self.assert_error(self.get("/sim/nosuchcommand"), 404)

    def test_wrong_method_on_a_control_path(self):
        for method, target in (("GET", "/sim/restart"), ("POST", "/sim/state")):
            with self.subTest(method=method, target=target):
                self.assert_error(request(self.port, method, target), 405)

    def test_injected_error_faults(self):
        cases = (("stats", "/stats", "GET"), ("completion_status", "/completion_status?token=x",
                                              "GET"),
                 ("completion_token", "/input_endpoints/numbers.kafka/completion_token", "GET"),
                 ("ingress", "/ingress/numbers?format=json", "POST"))
        for status in (500, 503, 400):
            for path, target, method in cases:
                with self.subTest(path=path, status=status):
                    self.control(f"/sim/fault?path={path}&kind=error&status={status}&count=1")
                    self.assert_error(request(self.port, method, target, body=b'{"n": 1}'),
                                      status)

    def test_control_api_errors(self):
        for target, code in (("/sim/stall", "MissingUrlEncodedParam"),
                             ("/sim/stall?ms=forever", "InvalidParam"),
                             ("/sim/restart?checkpoint=maybe", "InvalidParam"),
                             ("/sim/fault?kind=nonsense", "InvalidParam"),
                             ("/sim/fault?kind=error", "MissingUrlEncodedParam"),
                             ("/sim/fault?path=nowhere&kind=error&status=500", "InvalidParam")):
            with self.subTest(target=target):
                self.assert_error(self.post(target), 400, code)


class ManagerTestCase(SimulatorTestCase):
    """The simulator as Feldera's manager serves one pipeline: /v0/pipelines/NAME/..."""

    PIPELINE = "demo"

    @classmethod
    def setUpClass(cls):
        cls.sim, cls.port = harness.start_simulator(cls, "--manager", cls.PIPELINE)

    def pipeline_path(self, suffix):
        return f"/v0/pipelines/{self.PIPELINE}{suffix}"

    def ingest(self, records=1):
        body = "\n".join(json.dumps({"n": i}) for i in range(records)).encode()
        answer = self.post(self.pipeline_path("/ingress/numbers?format=json"), body)
        self.assertEqual(answer.status, 200, answer)
        return answer.json()["token"]

    def status(self, token, pipeline=None):
        return self.get(f"/v0/pipelines/{pipeline or self.PIPELINE}/completion_status?token=" +
                        urllib.parse.quote(token, safe=""))

    def connector_token(self):
        return self.get(self.pipeline_path("/tables/numbers/connectors/kafka/completion_token"))


class ManagerMode(ManagerTestCase):
    def test_stats_is_a_controller_status(self):
        self.assert_answer(self.get(self.pipeline_path("/stats")), 200, "ControllerStatus")

    def test_ingress_answer_is_a_completion_token_response(self):
        answer = self.post(self.pipeline_path("/ingress/numbers?format=json"), b'{"n": 1}')
        self.assert_answer(answer, 200, "CompletionTokenResponse")

    def test_completion_token_answer_is_documented(self):
        self.assert_documented_answer(self.connector_token(), COMPLETION_TOKEN, "GET", 200)

    def test_completion_status_answers_are_documented(self):
        token = self.ingest()
        answer = self.status(token)
        self.assertIn(answer.status, (200, 202), answer)
        self.assert_documented_answer(answer, COMPLETION_STATUS, "GET", answer.status)

    def test_unknown_pipeline_is_404_unknown_pipeline_name(self):
        body = self.assert_error(self.status(self.ingest(), "nosuchpipeline"), 404,
                                 "UnknownPipelineName")
        self.assertEqual(body["details"], {"pipeline_name": "nosuchpipeline"})

    def test_bad_token_is_documented(self):
        answer = self.status("not-a-token")
        self.assert_documented_answer(answer, COMPLETION_STATUS, "GET", 400)


class ManagerModeStopped(ManagerTestCase):
    """After POST /sim/stop the manager answers 503 PipelineInteractionNotDeployed, Retry-After 5,
    as Feldera's manager does for a pipeline that exists but does not run."""

    def test_stopped_pipeline_is_503_not_deployed(self):
        token = self.ingest()
        self.control("/sim/stop")
        for answer in (self.status(token), self.connector_token(),
                       self.post(self.pipeline_path("/ingress/numbers?format=json"), b'{"n": 1}')):
            with self.subTest(answer=answer):
                body = self.assert_error(answer, 503, "PipelineInteractionNotDeployed")
                self.assertEqual(answer.headers.get("retry-after"), "5", answer)
                self.assertEqual(sorted(body["details"]),
                                 ["desired_status", "pipeline_name", "status"])
                self.assertEqual(body["details"]["pipeline_name"], self.PIPELINE)


if __name__ == "__main__":
    harness.main()
