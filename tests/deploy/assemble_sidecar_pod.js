#!/usr/bin/env node
// Builds the pipeline pod a user gets by following the chart's sidecar-mode instructions: a pod
// named as Feldera names pipeline pods, with a pipeline container, plus what the rendered
// <release>-sidecar ConfigMap holds. For sidecar.route initContainers that is runtime-config.json
// (Feldera puts runtime_config.init_containers among the pod's init containers and
// resources.service_account_name in its serviceAccountName); for sidecar.route template, the
// container, volumes, annotations and ServiceAccount. Prints it as YAML, for
// validate_manifests.js: what the ConfigMap holds is opaque text to the API server, so only the
// assembled pod shows whether it would be accepted.
//
// Usage: node assemble_sidecar_pod.js RENDERED.yaml (- for stdin)
"use strict";

const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

const toolsDir = process.env.DEPLOY_TOOLS_DIR || "/opt/completion-sidecar-deploy-tools";
const yaml = createRequire(path.join(toolsDir, "node_modules", "index.js"))("js-yaml");

function main(file) {
  const docs = yaml.loadAll(fs.readFileSync(file === "-" ? 0 : file, "utf8"));
  const spec = docs.find(
    (d) =>
      d &&
      d.kind === "ConfigMap" &&
      d.data &&
      (typeof d.data["container.yaml"] === "string" ||
        typeof d.data["runtime-config.json"] === "string"),
  );
  if (!spec) {
    console.error(`${file}: no ConfigMap with container.yaml or runtime-config.json (not sidecar mode?)`);
    return 1;
  }
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "pipeline-0196b120-6203-7b90-b6bd-16890df15e28-0",
      namespace: spec.metadata.namespace,
    },
    spec: {
      containers: [
        {
          name: "pipeline",
          image: "public.ecr.aws/feldera/pipeline-manager:latest",
          ports: [{ name: "http", containerPort: 8080 }],
        },
      ],
    },
  };
  if (typeof spec.data["runtime-config.json"] === "string") {
    const runtimeConfig = JSON.parse(spec.data["runtime-config.json"]);
    pod.spec.initContainers = runtimeConfig.init_containers;
    pod.spec.serviceAccountName = runtimeConfig.resources.service_account_name;
  } else {
    const sidecar = yaml.load(spec.data["container.yaml"]);
    pod.metadata.annotations = yaml.load(spec.data["pod-annotations.yaml"]);
    pod.spec.serviceAccountName = spec.data.serviceAccountName;
    pod.spec.volumes = yaml.load(spec.data["volumes.yaml"]);
    // A native sidecar is an init container that keeps running (restartPolicy Always).
    if (sidecar.restartPolicy === "Always") {
      pod.spec.initContainers = [sidecar];
    } else {
      pod.spec.containers.push(sidecar);
    }
  }
  process.stdout.write(yaml.dump(pod));
  return 0;
}

process.exitCode = main(process.argv[2] || "-");
