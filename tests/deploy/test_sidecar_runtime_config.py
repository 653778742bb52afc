"""scripts/sidecar-runtime-config against a stand-in for Feldera's API server, with the sidecar part
the chart really renders (helm template, sidecar mode, sidecar.route initContainers).

The stand-in answers GET and PATCH /v0/pipelines/{name} as Feldera's pipeline manager does
(crates/pipeline-manager/src/api/endpoints/pipeline_management.rs: get_pipeline, patch_pipeline;
a PATCH's runtime_config replaces the stored one whole, and only while the pipeline is stopped,
else 400 UpdateRestrictedToStopped) and records what it was sent. The merged runtime_config's
init containers, in a pipeline pod, are checked against the Kubernetes schemas
(validate_manifests.js).

Usage: python3 test_sidecar_runtime_config.py --helm HELM --chart DIR --script SCRIPT
           --validator validate_manifests.js [unittest args]
"""

import argparse
import copy
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import unittest

ARGS = None
NAMESPACE = "feldera"

# A pipeline's runtime_config as Feldera stores it, with a sidecar of its own and an older
# completion-sidecar entry.
STORED = {
    "workers": 4,
    "storage": {"backend": {"name": "default"}, "min_storage_bytes": None},
    "fault_tolerance": {"model": "none", "checkpoint_interval_secs": 60},
    "resources": {"cpu_cores_max": 2, "memory_mb_max": 4096, "service_account_name": None,
                  "namespace": None},
    "init_containers": [
        {"name": "ingest", "image": "example/ingest:1", "restartPolicy": "Always"},
        {"name": "completion-sidecar", "image": "example/completion-sidecar:old"},
    ],
    "env": {"TZ": "UTC"},
}


class FakeFeldera(http.server.ThreadingHTTPServer):
    """One pipeline, `demo`; records the requests it gets."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.runtime_config = copy.deepcopy(STORED)
        self.stopped = True
        self.requests = []  # (method, path, authorization, body)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def pipeline(self):
        return {"id": "0196b120-6203-7b90-b6bd-16890df15e28", "name": "demo",
                "runtime_config": self.server.runtime_config,
                "deployment_status": "Stopped" if self.server.stopped else "Running"}

    def handle_one(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        self.server.requests.append((method, self.path, self.headers.get("Authorization"), body))
        if method == "GET" and self.path == "/v0/config":  # Feldera's SDK asks it first
            return self.answer(200, {"edition": "Enterprise", "version": "0.0.0"})
        if self.path.split("?")[0] != "/v0/pipelines/demo":
            name = self.path.split("/")[3] if self.path.count("/") >= 3 else ""
            return self.answer(404, {"message": f"Unknown pipeline name '{name}'",
                                     "error_code": "UnknownPipelineName",
                                     "details": {"pipeline_name": name}})
        if method == "PATCH":
            if not self.server.stopped:
                return self.answer(400, {
                    "message": ("Pipeline can only be updated while stopped. Stop it first by "
                                "invoking '/stop'."),
                    "error_code": "UpdateRestrictedToStopped", "details": None})
            if body.get("runtime_config") is not None:
                self.server.runtime_config = body["runtime_config"]
        return self.answer(200, self.pipeline())

    def do_GET(self):
        self.handle_one("GET")

    def do_PATCH(self):
        self.handle_one("PATCH")


def render_sidecar(*values):
    """runtime-config.json as the chart renders it, written to a file; (path, parsed)."""
    cmd = [ARGS.helm, "template", "completion-sidecar", ARGS.chart, "--namespace", NAMESPACE,
           "--set", "image.repository=registry.example.com/feldera/completion-sidecar",
           "--set", "mode=sidecar", "--show-only", "templates/sidecar-spec.yaml"]
    for value in values:
        cmd += ["--set", value]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    marker = "runtime-config.json: |\n"
    text = out[out.index(marker) + len(marker):]
    lines = []
    for line in text.splitlines():
        if line.startswith("    "):
            lines.append(line[4:])
        elif line.strip():
            break
    sidecar = json.loads("\n".join(lines))
    f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump(sidecar, f)
    f.close()
    return f.name, sidecar


def run_script(*args, api_key=None):
    env = dict(os.environ)
    env.pop("FELDERA_API_KEY", None)
    if api_key:
        env["FELDERA_API_KEY"] = api_key
    return subprocess.run([sys.executable, "-B", ARGS.script, *args], capture_output=True,
                          text=True, env=env, timeout=60)


class SidecarRuntimeConfig(unittest.TestCase):
    def setUp(self):
        self.feldera = FakeFeldera()
        self.thread = threading.Thread(target=self.feldera.serve_forever, daemon=True)
        self.thread.start()
        self.sidecar_file, self.sidecar = render_sidecar()

    def tearDown(self):
        self.feldera.shutdown()
        self.feldera.server_close()
        os.unlink(self.sidecar_file)

    def patches(self):
        return [r for r in self.feldera.requests if r[0] == "PATCH"]

    def test_patches_the_whole_runtime_config_with_the_sidecar_merged_in(self):
        run = run_script("--feldera", self.feldera.url + "/", "--pipeline", "demo",
                         self.sidecar_file, api_key="apikey:secret")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual([r[:3] for r in self.feldera.requests],
                         [("GET", "/v0/pipelines/demo", "Bearer apikey:secret"),
                          ("PATCH", "/v0/pipelines/demo", "Bearer apikey:secret")])
        body = self.patches()[0][3]
        self.assertEqual(list(body), ["runtime_config"])
        merged = body["runtime_config"]
        # Every other setting as it was.
        for key in ("workers", "storage", "fault_tolerance", "env"):
            self.assertEqual(merged[key], STORED[key], key)
        self.assertEqual(merged["resources"]["cpu_cores_max"], 2)
        self.assertEqual(merged["resources"]["memory_mb_max"], 4096)
        self.assertIn("namespace", merged["resources"])
        # The pipeline's own sidecar kept, the old completion-sidecar replaced by the chart's.
        self.assertEqual([c["name"] for c in merged["init_containers"]],
                         ["ingest", "completion-sidecar"])
        self.assertEqual(merged["init_containers"][0], STORED["init_containers"][0])
        self.assertEqual(merged["init_containers"][1], self.sidecar["init_containers"][0])
        self.assertEqual(merged["resources"]["service_account_name"], "completion-sidecar")
        self.assertValidPipelinePod(merged)

    def test_again_changes_nothing_more(self):
        for _ in range(2):
            self.assertEqual(run_script("--feldera", self.feldera.url, "--pipeline", "demo",
                                        self.sidecar_file).returncode, 0)
        first, second = (p[3]["runtime_config"] for p in self.patches())
        self.assertEqual(first, second)
        self.assertIsNone(self.patches()[0][2], "no key sent without FELDERA_API_KEY")

    def test_dry_run_prints_the_body_and_sends_nothing(self):
        run = run_script("--feldera", self.feldera.url, "--pipeline", "demo", "--dry-run",
                         self.sidecar_file)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(self.patches(), [])
        body = json.loads(run.stdout)
        self.assertEqual(body["runtime_config"]["init_containers"][-1]["name"],
                         "completion-sidecar")

    def test_a_pipeline_running_as_another_account_is_left_alone(self):
        self.feldera.runtime_config["resources"]["service_account_name"] = "pipelines-s3"
        run = run_script("--feldera", self.feldera.url, "--pipeline", "demo", self.sidecar_file)
        self.assertEqual(run.returncode, 1)
        self.assertIn("serviceAccount.name=pipelines-s3", run.stderr)
        self.assertEqual(self.patches(), [])
        run = run_script("--feldera", self.feldera.url, "--pipeline", "demo",
                         "--replace-service-account", self.sidecar_file)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(
            self.patches()[0][3]["runtime_config"]["resources"]["service_account_name"],
            "completion-sidecar")
        # The chart installed for that account: nothing to replace.
        other_file, _ = render_sidecar("serviceAccount.create=false",
                                       "serviceAccount.name=pipelines-s3")
        self.feldera.runtime_config["resources"]["service_account_name"] = "pipelines-s3"
        try:
            self.assertEqual(run_script("--feldera", self.feldera.url, "--pipeline", "demo",
                                        other_file).returncode, 0)
        finally:
            os.unlink(other_file)

    def test_feldera_refusing_is_reported_with_its_message(self):
        self.feldera.stopped = False
        run = run_script("--feldera", self.feldera.url, "--pipeline", "demo", self.sidecar_file)
        self.assertEqual(run.returncode, 1)
        self.assertIn("400 Pipeline can only be updated while stopped", run.stderr)
        run = run_script("--feldera", self.feldera.url, "--pipeline", "nope", self.sidecar_file)
        self.assertEqual(run.returncode, 1)
        self.assertIn("404 Unknown pipeline name 'nope'", run.stderr)

    def test_offline_merges_a_runtime_config_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            json.dump({"workers": 2, "resources": {}}, f)
            f.flush()
            run = run_script("--runtime-config", f.name, self.sidecar_file)
        self.assertEqual(run.returncode, 0, run.stderr)
        merged = json.loads(run.stdout)
        self.assertEqual(merged["workers"], 2)
        self.assertEqual(merged["init_containers"], self.sidecar["init_containers"])
        self.assertEqual(run_script(self.sidecar_file).returncode, 2, "neither source given")

    def assertValidPipelinePod(self, runtime_config):
        """The pod Feldera would make: the pipeline container, the merged init containers."""
        pod = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": "pipeline-0196b120-6203-7b90-b6bd-16890df15e28-0",
                            "namespace": NAMESPACE},
               "spec": {"serviceAccountName": runtime_config["resources"]["service_account_name"],
                        "initContainers": runtime_config["init_containers"],
                        "containers": [{"name": "pipeline", "image": "example/pipeline:1"}]}}
        with tempfile.NamedTemporaryFile("w", suffix=".yaml") as f:
            json.dump(pod, f)  # JSON is YAML
            f.flush()
            run = subprocess.run(["node", ARGS.validator, f.name], capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    for name in ("--helm", "--chart", "--script", "--validator"):
        parser.add_argument(name, required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest)
