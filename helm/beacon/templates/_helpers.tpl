{{/*
Names and labels shared by every template. Cluster mode (beacon.clusterEnabled) adds a headless Service
for peer discovery named beacon.clusterServiceName that selects the same pods (beacon.selectorLabels).
*/}}

{{/* Chart name, overridable. */}}
{{- define "beacon.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: release-chart unless the release name already contains the chart name. */}}
{{- define "beacon.fullname" -}}
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

{{/* Chart name and version for the helm.sh/chart label. */}}
{{- define "beacon.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "beacon.labels" -}}
helm.sh/chart: {{ include "beacon.chart" . }}
{{ include "beacon.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select Beacon's pods (Service, headless cluster Service, PodDisruptionBudget). */}}
{{- define "beacon.selectorLabels" -}}
app.kubernetes.io/name: {{ include "beacon.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Service account the pods run as. */}}
{{- define "beacon.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "beacon.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The container image. */}}
{{- define "beacon.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
Cluster mode: "true" when cluster.enabled is set or more than one replica runs (separate in-memory registries
behind one Service would answer differently), "" otherwise. Use as: {{ if include "beacon.clusterEnabled" . }}
*/}}
{{- define "beacon.clusterEnabled" -}}
{{- if or .Values.cluster.enabled (gt (int .Values.replicaCount) 1) }}true{{ end }}
{{- end }}

{{/* Headless Service through which members find each other (JGroups DNS_PING); a DNS label, so 63 chars. */}}
{{- define "beacon.clusterServiceName" -}}
{{- printf "%s-cluster" (include "beacon.fullname" . | trunc 55 | trimSuffix "-") }}
{{- end }}

{{/* The DNS name DNS_PING queries: the headless Service's A records, one per pod, ready or not. */}}
{{- define "beacon.clusterDnsQuery" -}}
{{- printf "%s.%s.svc.%s" (include "beacon.clusterServiceName" .) .Release.Namespace .Values.cluster.clusterDomain }}
{{- end }}

{{/*
JAVA_TOOL_OPTIONS: cluster mode prefers IPv4 (JGroups binds to the pod's IPv4 address), then the javaToolOptions
value. The image's entrypoint keeps its own flags (-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError).
*/}}
{{- define "beacon.javaToolOptions" -}}
{{- $opts := list }}
{{- if include "beacon.clusterEnabled" . }}
{{- $opts = append $opts "-Djava.net.preferIPv4Stack=true" }}
{{- end }}
{{- with .Values.javaToolOptions }}
{{- $opts = append $opts . }}
{{- end }}
{{- join " " $opts }}
{{- end }}

{{/*
Pod affinity: the affinity value when set; otherwise, in cluster mode, anti-affinity spreading members over
cluster.podAntiAffinityTopologyKey, preferred ("soft") or required ("hard") per cluster.podAntiAffinity.
*/}}
{{- define "beacon.affinity" -}}
{{- if .Values.affinity }}
{{- toYaml .Values.affinity }}
{{- else if and (include "beacon.clusterEnabled" .) (has .Values.cluster.podAntiAffinity (list "soft" "hard")) }}
podAntiAffinity:
{{- if eq .Values.cluster.podAntiAffinity "hard" }}
  requiredDuringSchedulingIgnoredDuringExecution:
    - topologyKey: {{ .Values.cluster.podAntiAffinityTopologyKey }}
      labelSelector:
        matchLabels:
          {{- include "beacon.selectorLabels" . | nindent 10 }}
{{- else }}
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: {{ .Values.cluster.podAntiAffinityTopologyKey }}
        labelSelector:
          matchLabels:
            {{- include "beacon.selectorLabels" . | nindent 12 }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The Secret holding the tokens the chart generates (admin, metrics).
*/}}
{{- define "beacon.tokensSecret" -}}
{{ include "beacon.fullname" . }}-tokens
{{- end }}
