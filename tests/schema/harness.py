"""What the schema tests share: the real binaries as child processes on free loopback ports, plain
HTTP to them, and the assertions that an answer is what Feldera's OpenAPI schemas and the README
say it is.

A test program is run as
    /usr/bin/python3 PROGRAM --feldera-sim PATH --completion-sidecar PATH [unittest arguments]
(tests/schema/CMakeLists.txt passes the built binaries). Every child is stopped when its test class
is done, when the program exits, and (PR_SET_PDEATHSIG) when the program itself is killed.
Readiness is always awaited by polling, never by sleeping a fixed time.
"""

import argparse
import atexit
import base64
import ctypes
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

from openapi_schemas import FelderaSchemas

REPOSITORY = Path(__file__).resolve().parents[2]
README = REPOSITORY / "README.md"
# Generous bounds for things that normally take milliseconds (sanitizer builds are slower).
START_TIMEOUT = 30.0
ANSWER_TIMEOUT = 20.0

BINARIES = {"feldera-sim": None, "completion-sidecar": None}
SCHEMAS = FelderaSchemas()
# Config files and child output of this program; removed when it exits.
WORK_DIR = tempfile.TemporaryDirectory(prefix="schema-tests-")
_children = []


# ---------------------------------------------------------------- processes


def free_port():
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent():
    """Runs in the child before exec: SIGKILL it when this test program goes away."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class ChildExited(Exception):
    """A child ended while it was expected to serve; carries its exit status and output."""

    def __init__(self, name, status, output):
        super().__init__(f"{name} exited with status {status}:\n{output}")
        self.status = status
        self.output = output


class Child:
    """One binary running as a child process, its output kept in a file."""

    def __init__(self, name, argv):
        self.name = name
        self.log_path = work_file(f"{name}-", ".log")
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL,
                                            preexec_fn=_die_with_parent)
        _children.append(self)

    def running(self):
        return self.process.poll() is None

    def output(self):
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def check_running(self):
        if not self.running():
            raise ChildExited(self.name, self.process.returncode, self.output())

    def kill(self):
        """SIGKILL, as a crash would end it."""
        if self.running():
            self.process.kill()
        self.process.wait()

    def stop(self):
        """SIGKILL, as the C++ harness ends them: these tests check answers. A clean exit on
        SIGTERM, and the sanitizers' checks at exit, are the lifecycle tests' (tests/integration).
        After this program's many refused and cut requests, cpprestsdk's listener left one
        80-byte object of its asio server unfreed at exit in about one run in eight under
        AddressSanitizer: a leak inside the library, which LeakSanitizer would report as the
        service's."""
        self.kill()


@atexit.register
def _stop_every_child():
    for child in _children:
        if child.running():
            child.kill()


def start_serving(name, argv_for_port, ready_path="/"):
    """Starts binary `name` with argv_for_port(port) on a free port; returns (child, port) once
    the port answers HTTP. A port taken meanwhile by someone else is retried on another."""
    if not BINARIES[name]:
        raise AssertionError(f"no path given for {name} (--{name} PATH)")
    for _ in range(3):
        port = free_port()
        child = Child(name, [BINARIES[name]] + argv_for_port(port))
        try:
            wait_until(lambda: answers_http(port, ready_path, child), f"{name} to answer",
                       START_TIMEOUT)
            return child, port
        except ChildExited as exited:
            child.stop()
            if "cannot listen" not in exited.output:
                raise
        except BaseException:
            child.stop()
            raise
    raise AssertionError(f"{name} could not listen on a free port three times")


def answers_http(port, path, child):
    child.check_running()
    try:
        request(port, "GET", path, timeout=2)
        return True
    except OSError:
        return False


def wait_until(predicate, what, timeout=ANSWER_TIMEOUT, interval=0.02):
    """Polls predicate() until it returns something true, which is returned."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def start_simulator(test_case, *extra_args):
    """feldera-sim with one table `numbers` (endpoints numbers.api-ingress, numbers.kafka)."""
    def argv(port):
        return ["--listen", f"127.0.0.1:{port}", "--tables", "numbers",
                "--connectors", "numbers.kafka", "--step-delay-ms", "20", *extra_args]
    child, port = start_serving("feldera-sim", argv)
    test_case.addClassCleanup(child.stop)
    return child, port


def start_service(test_case, config_yaml):
    """completion-sidecar with the given config file text (`listen` is added)."""
    config = work_file("sidecar-", ".yaml")

    def argv(port):
        config.write_text(f"listen: 127.0.0.1:{port}\n{config_yaml}", encoding="utf-8")
        return ["--config", str(config)]
    child, port = start_serving("completion-sidecar", argv, "/healthz")
    test_case.addClassCleanup(child.stop)
    return child, port


def work_file(prefix, suffix=""):
    """The path of a new, empty file in WORK_DIR."""
    descriptor, path = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=WORK_DIR.name)
    os.close(descriptor)
    return Path(path)


def write_temp_file(prefix, text):
    """A new file in WORK_DIR holding `text`; its path."""
    path = work_file(prefix)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- HTTP


class Answer:
    """One HTTP answer: status, headers (names lower-cased) and body."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"HTTP {self.status} {self.body[:500]!r}"


def request(port, method, target, body=None, headers=None, timeout=ANSWER_TIMEOUT):
    """One request on a fresh loopback connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()},
                      response.read())
    finally:
        connection.close()


def completion_token(incarnation, endpoint_id, count):
    """A token as Feldera makes them: base64url, unpadded, of {"u","e","c"}."""
    payload = json.dumps({"u": incarnation, "e": endpoint_id, "c": count}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


# ---------------------------------------------------------------- the README


def readme_api_lines():
    """The lines of the README's "API reference" section (its tables and prose)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## API reference\n", 1)[1].split("\n## ", 1)[0]
    return section.splitlines()


def readme_documents(status, error_code):
    """Whether one line of the README's API reference gives HTTP `status` with `error_code`."""
    code = f"`{error_code}`"
    return any(re.search(rf"\b{status}\b", line) and code in line for line in readme_api_lines())


# ---------------------------------------------------------------- assertions


class SchemaTestCase(unittest.TestCase):
    """Assertions on answers, with Feldera's schemas as the oracle."""

    maxDiff = None

    def assert_schema(self, schema_name, document, answer=None):
        problems = SCHEMAS.problems(schema_name, document)
        if problems:
            context = f"\n{answer!r}" if answer is not None else ""
            self.fail(f"not a valid {schema_name} (Feldera's OpenAPI):\n  " +
                      "\n  ".join(problems) + context)

    def assert_json(self, answer):
        """The answer's Content-Type is JSON and its body parses."""
        self.assertTrue(answer.headers.get("content-type", "").startswith("application/json"),
                        f"Content-Type {answer.headers.get('content-type')!r}: {answer!r}")
        try:
            return answer.json()
        except ValueError as error:
            self.fail(f"body is not JSON ({error}): {answer!r}")

    def assert_answer(self, answer, status, schema_name):
        """`answer` has `status` and a body that is a valid `schema_name`; returns the body."""
        self.assertEqual(answer.status, status, answer)
        document = self.assert_json(answer)
        self.assert_schema(schema_name, document, answer)
        return document

    def assert_error(self, answer, status, error_code=None):
        """`answer` is `status` with an ErrorResponse; `error_code` when given. Returns the body.

        Feldera's ErrorResponse schema allows more fields; the README and docs/feldera.md say an
        error is exactly `message`, `error_code` and `details`, so that is checked too."""
        document = self.assert_answer(answer, status, "ErrorResponse")
        self.assertEqual(sorted(document), ["details", "error_code", "message"], answer)
        if error_code is not None:
            self.assertEqual(document["error_code"], error_code, answer)
        return document

    def assert_documented_answer(self, answer, path, method, status):
        """`answer` is `status`, which Feldera documents for `method` on `path` (a path template
        of the excerpt), with a body valid under the schema documented for it."""
        schema_name = SCHEMAS.response_schema(path, method, status)
        self.assertIsNotNone(schema_name,
                             f"Feldera's OpenAPI documents no {status} for {method} {path}: "
                             f"{answer!r}")
        return self.assert_answer(answer, status, schema_name)

    def assert_in_readme(self, status, error_code):
        self.assertTrue(readme_documents(status, error_code),
                        f"README's API reference has no line giving {status} `{error_code}`")


# ---------------------------------------------------------------- running a program


def main():
    """Reads the binaries' paths, runs unittest on the rest of the command line, and exits 0
    only when tests ran and all passed (a skip counts as a failure: nothing here may be
    skipped)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--feldera-sim")
    parser.add_argument("--completion-sidecar")
    known, rest = parser.parse_known_args()
    BINARIES["feldera-sim"] = known.feldera_sim
    BINARIES["completion-sidecar"] = known.completion_sidecar
    program = unittest.main(argv=[sys.argv[0]] + rest, exit=False, verbosity=2)
    result = program.result
    if not result.wasSuccessful() or result.skipped or result.testsRun == 0:
        sys.exit(1)
    sys.exit(0)
