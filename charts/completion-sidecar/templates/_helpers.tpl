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

{{- define "completion-sidecar.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Namespaces: pods watched (cluster mode, one namespace) and history ConfigMaps. */}}
{{- define "completion-sidecar.watchNamespace" -}}
{{- default .Release.Namespace .Values.kubernetes.watchNamespace }}
{{- end }}

{{- define "completion-sidecar.historyNamespace" -}}
{{- default .Release.Namespace .Values.kubernetes.historyNamespace }}
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

{{/*
The service's config file (README of the service, "Configuration reference"); the binary rejects
unknown keys, and tests/deploy starts it with exactly this file.
*/}}
{{- define "completion-sidecar.config" -}}
{{- $v := .Values -}}
mode: {{ $v.mode }}
listen: {{ printf "%s:%d" (include "completion-sidecar.apiBindAddress" .) (int $v.api.port) | quote }}
metrics_listen: {{ printf "%s:%d" $v.metrics.bindAddress (int $v.metrics.port) | quote }}
threads: {{ $v.service.threads }}
pipelines:
  probe_interval_ms: {{ $v.pipelines.probeIntervalMs }}
  name_label: {{ $v.pipelines.nameLabel | quote }}
  {{- with $v.pipelines.podNamePattern }}
  pod_name_pattern: {{ . | quote }}
  {{- end }}
  container: {{ $v.pipelines.container | quote }}
  port_name: {{ $v.pipelines.portName | quote }}
  port: {{ $v.pipelines.port }}
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
  timeout_ms: {{ $v.service.upstreamTimeoutMs }}
tracker:
  interval_ms: {{ $v.service.trackerIntervalMs }}
  max_wait_ms: {{ $v.service.trackerMaxWaitMs }}
  max_tokens: {{ $v.service.trackerMaxTokens }}
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
  level: {{ $v.service.logLevel }}
  format: {{ $v.service.logFormat }}
{{- end }}

{{/* The volumes the container mounts: its config, and the Secrets it reads. */}}
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
{{- end }}

{{/*
The container, the same in both modes but for its API port (published in cluster mode only: in
sidecar mode the API listens on loopback) and, as a native sidecar, its restartPolicy.
*/}}
{{- define "completion-sidecar.container" -}}
{{- $metricsPort := include "completion-sidecar.metricsPortName" . -}}
name: {{ if eq .Values.mode "sidecar" }}{{ .Values.sidecar.containerName }}{{ else }}{{ .Chart.Name }}{{ end }}
image: {{ include "completion-sidecar.image" . | quote }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
{{- if and (eq .Values.mode "sidecar") .Values.sidecar.native }}
restartPolicy: Always
{{- end }}
args:
  - --config
  - {{ include "completion-sidecar.configDir" . }}/config.yaml
{{- if eq .Values.mode "sidecar" }}
env:
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
ports:
  {{- if ne .Values.mode "sidecar" }}
  - name: http
    containerPort: {{ .Values.api.port }}
    protocol: TCP
  {{- end }}
  - name: {{ $metricsPort }}
    containerPort: {{ .Values.metrics.port }}
    protocol: TCP
livenessProbe:
  httpGet:
    path: /healthz
    port: {{ $metricsPort }}
  {{- toYaml .Values.livenessProbe | nindent 2 }}
readinessProbe:
  httpGet:
    path: /readyz
    port: {{ $metricsPort }}
  {{- toYaml .Values.readinessProbe | nindent 2 }}
resources:
  {{- toYaml .Values.resources | nindent 2 }}
securityContext:
  {{- toYaml .Values.securityContext | nindent 2 }}
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
{{- end }}

{{/* prometheus.io/* annotations, for a Prometheus without the Operator. */}}
{{- define "completion-sidecar.scrapeAnnotations" -}}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .Values.metrics.port | quote }}
prometheus.io/path: /metrics
{{- end }}
