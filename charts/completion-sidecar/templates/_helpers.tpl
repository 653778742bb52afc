{{/*
Names, labels and the pieces both modes share: the service's config file and its container.
*/}}

{{- define "completion-sidecar.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name, at most 63 characters (a DNS label). */}}
{{- define "completion-sidecar.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "completion-sidecar.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "completion-sidecar.selectorLabels" -}}
app.kubernetes.io/name: {{ include "completion-sidecar.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "completion-sidecar.labels" -}}
helm.sh/chart: {{ include "completion-sidecar.chart" . }}
{{ include "completion-sidecar.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "completion-sidecar.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "completion-sidecar.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name: an existing ServiceAccount when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The image. No registry publishes it, so there is no default to fall back on: a repository
like "completion-sidecar" would silently mean docker.io/library/completion-sidecar.
*/}}
{{- define "completion-sidecar.image" -}}
{{- $repository := required "image.repository is required: no registry publishes the completion-sidecar image. Build it with scripts/build-image, push it where the cluster pulls from, and set image.repository (README, \"The image\")" .Values.image.repository }}
{{- $reference := printf "%s:%s" $repository (default .Chart.AppVersion .Values.image.tag) }}
{{- if .Values.image.digest }}
{{- $reference = printf "%s@%s" $reference .Values.image.digest }}
{{- end }}
{{- $reference }}
{{- end }}

{{/* Sidecar mode: how the sidecar enters the pipeline pods (values.yaml, sidecar.route). */}}
{{- define "completion-sidecar.flagsOnly" -}}
{{- if and (eq .Values.mode "sidecar") (eq .Values.sidecar.route "initContainers") }}true{{ end }}
{{- end }}

{{/* Namespaces: pods watched (cluster mode, one namespace) and history ConfigMaps. */}}
{{- define "completion-sidecar.watchNamespace" -}}
{{- default .Release.Namespace .Values.kubernetes.watchNamespace }}
{{- end }}

{{/*
In sidecar mode the ServiceAccount that may write history ConfigMaps is the pipeline pods',
which the pipeline's user code (UDFs) shares. Feldera's namespace holds ConfigMaps that decide
what every pipeline pod runs (the pipeline template), so history never goes there
(docs/security.md).
*/}}
{{- define "completion-sidecar.historyNamespace" -}}
{{- if eq .Values.mode "sidecar" }}
{{- $namespace := default (printf "%s-completion-history" .Release.Namespace | trunc 63 | trimSuffix "-") .Values.kubernetes.historyNamespace }}
{{- if eq $namespace .Release.Namespace }}
{{- fail (printf "kubernetes.historyNamespace: in sidecar mode the history ConfigMaps cannot live in the pipelines' namespace %s: the pipeline pods' ServiceAccount, shared with the pipelines' user code, would be allowed to write every ConfigMap there, Feldera's pipeline template included (docs/security.md). Leave it empty for %s-completion-history, or name another namespace." .Release.Namespace .Release.Namespace) }}
{{- end }}
{{- $namespace }}
{{- else }}
{{- default .Release.Namespace .Values.kubernetes.historyNamespace }}
{{- end }}
{{- end }}

{{- define "completion-sidecar.apiBindAddress" -}}
{{- if .Values.api.bindAddress }}
{{- .Values.api.bindAddress }}
{{- else if eq .Values.mode "sidecar" }}
{{- print "127.0.0.1" }}
{{- else }}
{{- print "0.0.0.0" }}
{{- end }}
{{- end }}

{{- define "completion-sidecar.listen" -}}
{{- printf "%s:%d" (include "completion-sidecar.apiBindAddress" .) (int .Values.api.port) }}
{{- end }}

{{- define "completion-sidecar.metricsListen" -}}
{{- printf "%s:%d" .Values.metrics.bindAddress (int .Values.metrics.port) }}
{{- end }}

{{/* Container port names: unique in a pipeline pod, whose pipeline container has its own. */}}
{{- define "completion-sidecar.metricsPortName" -}}
{{- if eq .Values.mode "sidecar" }}sidecar-metrics{{ else }}metrics{{ end }}
{{- end }}

{{- define "completion-sidecar.apiKeysSecretName" -}}
{{- default (printf "%s-api-keys" (include "completion-sidecar.fullname" .)) .Values.auth.existingSecret }}
{{- end }}

{{- define "completion-sidecar.apiKeysSecretKey" -}}
{{- if .Values.auth.existingSecret }}{{ .Values.auth.existingSecretKey }}{{ else }}api-keys{{ end }}
{{- end }}

{{/* Where the container finds its files. */}}
{{- define "completion-sidecar.configDir" -}}/etc/completion-sidecar/config{{- end }}
{{- define "completion-sidecar.authDir" -}}/etc/completion-sidecar/auth{{- end }}
{{- define "completion-sidecar.felderaKeyDir" -}}/etc/completion-sidecar/feldera{{- end }}
{{- define "completion-sidecar.pipelinesKeyDir" -}}/etc/completion-sidecar/pipelines{{- end }}

{{/*
The service's config file (README of the service, "Configuration reference"); the binary rejects
unknown keys, and tests/deploy starts it with exactly this file. tests/deploy also checks that
every key of that reference is either set here from a value or named there with the reason it
is not.
*/}}
{{- define "completion-sidecar.config" -}}
{{- $v := .Values -}}
{{- $s := $v.service -}}
mode: {{ $v.mode }}
listen: {{ include "completion-sidecar.listen" . | quote }}
metrics_listen: {{ include "completion-sidecar.metricsListen" . | quote }}
threads: {{ $s.threads }}
shutdown_grace_ms: {{ $s.shutdownGraceMs }}
pipelines:
  probe_interval_ms: {{ $v.pipelines.probeIntervalMs }}
  name_label: {{ $v.pipelines.nameLabel | quote }}
  {{- with $v.pipelines.podNamePattern }}
  pod_name_pattern: {{ . | quote }}
  {{- end }}
  container: {{ $v.pipelines.container | quote }}
  port_name: {{ $v.pipelines.portName | quote }}
  port: {{ $v.pipelines.port }}
  scheme: {{ $v.pipelines.scheme }}
  {{- if $v.pipelines.apiKeySecret.name }}
  api_key_file: {{ printf "%s/%s" (include "completion-sidecar.pipelinesKeyDir" .) $v.pipelines.apiKeySecret.key | quote }}
  {{- end }}
kubernetes:
  {{- with $v.kubernetes.apiUrl }}
  api_url: {{ . | quote }}
  {{- end }}
  {{- if and (eq $v.mode "cluster") (not $v.kubernetes.watchAllNamespaces) }}
  namespace: {{ include "completion-sidecar.watchNamespace" . | quote }}
  {{- end }}
  {{- if and (eq $v.mode "cluster") $v.kubernetes.podSelector }}
  pod_selector: {{ $v.kubernetes.podSelector | quote }}
  {{- end }}
  history_namespace: {{ include "completion-sidecar.historyNamespace" . | quote }}
  history_size: {{ $v.kubernetes.historySize }}
upstream:
  timeout_ms: {{ $s.upstreamTimeoutMs }}
  {{- with $s.upstreamCaFile }}
  ca_file: {{ . | quote }}
  {{- end }}
  {{- with $s.upstreamTlsServerName }}
  tls_server_name: {{ . | quote }}
  {{- end }}
tracker:
  interval_ms: {{ $s.trackerIntervalMs }}
  max_wait_ms: {{ $s.trackerMaxWaitMs }}
  max_tokens: {{ $s.trackerMaxTokens }}
limits:
  max_url_bytes: {{ $s.limits.maxUrlBytes | int64 }}
  max_headers: {{ $s.limits.maxHeaders | int64 }}
  max_header_bytes: {{ $s.limits.maxHeaderBytes | int64 }}
  max_body_bytes: {{ $s.limits.maxBodyBytes | int64 }}
  max_held_long_polls: {{ $s.limits.maxHeldLongPolls | int64 }}
{{- if or $v.feldera.apiUrl $v.feldera.apiKeySecret.name }}
feldera:
  {{- with $v.feldera.apiUrl }}
  api_url: {{ . | quote }}
  {{- end }}
  {{- if $v.feldera.apiKeySecret.name }}
  api_key_file: {{ printf "%s/%s" (include "completion-sidecar.felderaKeyDir" .) $v.feldera.apiKeySecret.key | quote }}
  {{- end }}
{{- end }}
{{- if $v.auth.enabled }}
auth:
  api_keys_file: {{ printf "%s/%s" (include "completion-sidecar.authDir" .) (include "completion-sidecar.apiKeysSecretKey" .) | quote }}
{{- end }}
log:
  level: {{ $s.logLevel }}
  format: {{ $s.logFormat }}
{{- end }}

{{/*
sidecar.route initContainers: the container gets no volume, so no config file; its settings are
the binary's command-line flags (`completion-sidecar --help`) and the downward API. Values that
only the config file could carry must keep the chart's defaults, which are the binary's own
(tests/deploy checks them against the README's configuration reference); a changed one stops
the rendering rather than being dropped.

kubernetes.history_namespace, whose default (the pod's namespace) is refused here (README,
"Sidecar mode"), goes as `--set`, which takes any key of the config file.
*/}}
{{- define "completion-sidecar.flagArgs" -}}
- --mode
- sidecar
- --listen
- {{ include "completion-sidecar.listen" . | quote }}
- --metrics-listen
- {{ include "completion-sidecar.metricsListen" . | quote }}
- --log-level
- {{ .Values.service.logLevel }}
- --log-format
- {{ .Values.service.logFormat }}
- --set
- {{ printf "kubernetes.history_namespace=%s" (include "completion-sidecar.historyNamespace" .) | quote }}
{{- end }}

{{- define "completion-sidecar.checkFlagsOnly" -}}
{{- /*
What the binary does without a config file, as values: the chart's defaults for these are the
same (tests/deploy renders each one changed and the defaults unchanged).
*/}}
{{- $binaryDefaults := `
kubernetes: {apiUrl: "", historySize: 32}
pipelines:
  nameLabel: feldera.com/pipeline-name
  podNamePattern: ""
  container: pipeline
  portName: http
  port: 8080
  scheme: http
  probeIntervalMs: 1000
  apiKeySecret: {name: ""}
feldera: {apiUrl: "", apiKeySecret: {name: ""}}
auth: {enabled: false}
service:
  threads: 2
  upstreamTimeoutMs: 5000
  upstreamCaFile: ""
  upstreamTlsServerName: ""
  trackerIntervalMs: 50
  trackerMaxWaitMs: 30000
  trackerMaxTokens: 100000
  shutdownGraceMs: 10000
  limits: {maxUrlBytes: 8192, maxHeaders: 100, maxHeaderBytes: 32768, maxBodyBytes: 67108864, maxHeldLongPolls: 10000}
extraVolumes: []
extraVolumeMounts: []
` | fromYaml }}
{{- $values := .Values | toYaml | fromYaml }}
{{- $changed := list }}
{{- range $path := list "kubernetes.apiUrl" "kubernetes.historySize" "pipelines.nameLabel" "pipelines.podNamePattern" "pipelines.container" "pipelines.portName" "pipelines.port" "pipelines.scheme" "pipelines.probeIntervalMs" "pipelines.apiKeySecret.name" "feldera.apiUrl" "feldera.apiKeySecret.name" "auth.enabled" "service.threads" "service.upstreamTimeoutMs" "service.upstreamCaFile" "service.upstreamTlsServerName" "service.trackerIntervalMs" "service.trackerMaxWaitMs" "service.trackerMaxTokens" "service.shutdownGraceMs" "service.limits" "extraVolumes" "extraVolumeMounts" }}
{{- $value := $values }}
{{- $default := $binaryDefaults }}
{{- range $key := splitList "." $path }}
{{- $value = index $value $key }}
{{- $default = index $default $key }}
{{- end }}
{{- if ne (toJson $value) (toJson $default) }}
{{- $changed = append $changed $path }}
{{- end }}
{{- end }}
{{- if $changed }}
{{- fail (printf "sidecar.route=initContainers passes settings as command-line flags only (Feldera's init_containers add no volumes), and the binary has no flag for: %s. Keep their defaults, or use sidecar.route=template (README, \"Sidecar mode\")." (join ", " $changed)) }}
{{- end }}
{{- end }}

{{/* The volumes the container mounts: its config, the Secrets it reads, and extraVolumes. */}}
{{- define "completion-sidecar.volumes" -}}
- name: completion-sidecar-config
  configMap:
    name: {{ include "completion-sidecar.fullname" . }}-config
{{- if .Values.auth.enabled }}
- name: completion-sidecar-api-keys
  secret:
    secretName: {{ include "completion-sidecar.apiKeysSecretName" . }}
{{- end }}
{{- if .Values.feldera.apiKeySecret.name }}
- name: completion-sidecar-feldera-key
  secret:
    secretName: {{ .Values.feldera.apiKeySecret.name }}
{{- end }}
{{- if .Values.pipelines.apiKeySecret.name }}
- name: completion-sidecar-pipelines-key
  secret:
    secretName: {{ .Values.pipelines.apiKeySecret.name }}
{{- end }}
{{- with .Values.extraVolumes }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* An HTTP GET probe on the metrics listener, with the timings of `values`. */}}
{{- define "completion-sidecar.probe" -}}
httpGet:
  path: {{ .path }}
  port: {{ .port }}
{{- with .values }}
{{- toYaml . | nindent 0 }}
{{- end }}
{{- end }}

{{/*
The container, the same in both modes but for its API port (published in cluster mode only: in
sidecar mode the API listens on loopback), its settings (a config file, or flags in
sidecar.route initContainers), and, in sidecar mode, its restartPolicy and probes.
*/}}
{{- define "completion-sidecar.container" -}}
{{- $metricsPort := include "completion-sidecar.metricsPortName" . -}}
{{- $sidecar := eq .Values.mode "sidecar" -}}
{{- $flagsOnly := include "completion-sidecar.flagsOnly" . -}}
name: {{ if $sidecar }}{{ .Values.sidecar.containerName }}{{ else }}{{ .Chart.Name }}{{ end }}
image: {{ include "completion-sidecar.image" . | quote }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
{{- if and $sidecar .Values.sidecar.native }}
restartPolicy: Always
{{- end }}
args:
  {{- if $flagsOnly }}
  {{- include "completion-sidecar.flagArgs" . | nindent 2 }}
  {{- else }}
  - --config
  - {{ include "completion-sidecar.configDir" . }}/config.yaml
  {{- end }}
  {{- range .Values.extraArgs }}
  - {{ . | quote }}
  {{- end }}
{{- if or $sidecar .Values.extraEnv }}
env:
  {{- if $sidecar }}
  # The pod whose pipeline it serves, from the downward API.
  - name: POD_NAME
    valueFrom:
      fieldRef:
        fieldPath: metadata.name
  - name: POD_NAMESPACE
    valueFrom:
      fieldRef:
        fieldPath: metadata.namespace
  {{- end }}
  {{- with .Values.extraEnv }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end }}
ports:
  {{- if not $sidecar }}
  - name: http
    containerPort: {{ .Values.api.port }}
    protocol: TCP
  {{- end }}
  - name: {{ $metricsPort }}
    containerPort: {{ .Values.metrics.port }}
    protocol: TCP
startupProbe:
  {{- include "completion-sidecar.probe" (dict "path" "/healthz" "port" $metricsPort "values" .Values.startupProbe) | nindent 2 }}
livenessProbe:
  {{- include "completion-sidecar.probe" (dict "path" "/healthz" "port" $metricsPort "values" .Values.livenessProbe) | nindent 2 }}
{{- /*
A sidecar's readiness is part of its pod's: an unready sidecar (say, the Kubernetes API out of
reach) would take the pipeline pod out of the pipeline's headless Service, through which
Feldera reaches it. So only the Deployment's pods have a readiness probe.
*/}}
{{- if not $sidecar }}
readinessProbe:
  {{- include "completion-sidecar.probe" (dict "path" "/readyz" "port" $metricsPort "values" .Values.readinessProbe) | nindent 2 }}
{{- end }}
resources:
  {{- toYaml .Values.resources | nindent 2 }}
securityContext:
  {{- toYaml .Values.securityContext | nindent 2 }}
{{- if not $flagsOnly }}
volumeMounts:
  - name: completion-sidecar-config
    mountPath: {{ include "completion-sidecar.configDir" . }}
    readOnly: true
  {{- if .Values.auth.enabled }}
  - name: completion-sidecar-api-keys
    mountPath: {{ include "completion-sidecar.authDir" . }}
    readOnly: true
  {{- end }}
  {{- if .Values.feldera.apiKeySecret.name }}
  - name: completion-sidecar-feldera-key
    mountPath: {{ include "completion-sidecar.felderaKeyDir" . }}
    readOnly: true
  {{- end }}
  {{- if .Values.pipelines.apiKeySecret.name }}
  - name: completion-sidecar-pipelines-key
    mountPath: {{ include "completion-sidecar.pipelinesKeyDir" . }}
    readOnly: true
  {{- end }}
  {{- with .Values.extraVolumeMounts }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end }}
{{- end }}

{{/* prometheus.io/* annotations, for a Prometheus without the Operator. */}}
{{- define "completion-sidecar.scrapeAnnotations" -}}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .Values.metrics.port | quote }}
prometheus.io/path: /metrics
{{- end }}

{{/*
Native sidecars (an init container with restartPolicy Always) are on by default from
Kubernetes 1.29. An older API server drops the field or rejects it, and an init container that
never exits keeps the pipeline from ever starting.
*/}}
{{- define "completion-sidecar.checkNativeSidecar" -}}
{{- if and (eq .Values.mode "sidecar") .Values.sidecar.native (semverCompare "<1.29.0-0" .Capabilities.KubeVersion.Version) }}
{{- fail (printf "sidecar.native: native sidecar containers (an init container with restartPolicy Always) need Kubernetes 1.29 or later, and this cluster is %s. Upgrade the cluster, or use sidecar.route=template with sidecar.native=false to add an ordinary container (README, \"Sidecar mode\")." .Capabilities.KubeVersion.Version) }}
{{- end }}
{{- if and (eq .Values.mode "sidecar") (eq .Values.sidecar.route "initContainers") (not .Values.sidecar.native) }}
{{- fail "sidecar.native=false needs sidecar.route=template: Feldera places runtime_config.init_containers among the pod's init containers, where an ordinary container that never exits keeps the pipeline from starting." }}
{{- end }}
{{- end }}
