#!/usr/bin/env node
// Validates Kubernetes manifests (multi-document YAML files, "-" for stdin) against the
// Kubernetes 1.33 and Prometheus Operator schemas that the kubernetes-models packages compile
// from the upstream OpenAPI documents: types, required fields, enums and formats.
//
// Those compiled validators ignore fields they do not know, while the API server rejects them
// (kubectl's default strict field validation). So each document is validated through a proxy
// that records which fields the validator read: a field it never read is not in the schema.
//
// Usage: DEPLOY_TOOLS_DIR=/opt/... node validate_manifests.js FILE... ; exits 1 on any error.
"use strict";

const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

const toolsDir = process.env.DEPLOY_TOOLS_DIR || "/opt/completion-sidecar-deploy-tools";
const toolRequire = createRequire(path.join(toolsDir, "node_modules", "index.js"));
const yaml = toolRequire("js-yaml");

// The module holding the model class of an apiVersion and kind, or null if none is known.
function modelModule(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "monitoring.coreos.com") {
    return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  }
  const groupDir = group === "" ? "" : `${group}/`;
  return `kubernetes-models/${groupDir}${version}/${kind}`;
}

function loadModel(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string") return null;
  try {
    return toolRequire(modelModule(apiVersion, kind))[kind] || null;
  } catch (e) {
    if (e.code === "MODULE_NOT_FOUND" || e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") return null;
    throw e;
  }
}

// Wraps `root` so that every own field read through it is recorded; returns the wrapped value
// and a function listing the fields never read, as JSON pointers.
function trackReads(root) {
  const reads = new Map(); // object -> {pointer, fields read}
  const proxies = new Map();
  const wrap = (value, pointer) => {
    if (value === null || typeof value !== "object") return value;
    if (proxies.has(value)) return proxies.get(value);
    const read = new Set();
    reads.set(value, { pointer, read });
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        const field = Reflect.get(target, key, receiver);
        if (typeof key !== "string" || !Object.prototype.hasOwnProperty.call(target, key)) {
          return field;
        }
        read.add(key);
        return wrap(field, `${pointer}/${key}`);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  const unread = () => {
    const fields = [];
    for (const [value, { pointer, read }] of reads) {
      for (const key of Object.keys(value)) {
        if (!read.has(key)) fields.push(`${pointer}/${key}`);
      }
    }
    return fields;
  };
  return { value: wrap(root, ""), unread };
}

// The problems of one document, as text lines; empty when it is valid.
function validateDocument(doc) {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    return ["not a Kubernetes object"];
  }
  const Model = loadModel(doc.apiVersion, doc.kind);
  if (!Model) return [`no schema for apiVersion ${doc.apiVersion}, kind ${doc.kind}`];
  const { value, unread } = trackReads(doc);
  try {
    Model.prototype.validate.call(value);
  } catch (e) {
    return [e.message];
  }
  return unread().map((field) => `unknown field ${field}`);
}

function main(files) {
  if (files.length === 0) {
    console.error("usage: validate_manifests.js FILE... (- for stdin)");
    return 2;
  }
  let failures = 0;
  let documents = 0;
  for (const file of files) {
    const text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
    let docs;
    try {
      docs = yaml.loadAll(text);
    } catch (e) {
      console.error(`${file}: not YAML: ${e.message}`);
      failures++;
      continue;
    }
    for (const doc of docs) {
      if (doc === null || doc === undefined) continue; // an empty document between separators
      documents++;
      const where = `${file}: ${doc.kind}/${doc.metadata && doc.metadata.name}`;
      const problems = validateDocument(doc);
      for (const problem of problems) console.error(`${where}: ${problem}`);
      if (problems.length) failures++;
    }
  }
  console.log(`${documents} documents checked, ${failures} invalid`);
  return failures || documents === 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
