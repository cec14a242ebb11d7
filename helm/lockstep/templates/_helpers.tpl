{{/* The chart name, or nameOverride. */}}
{{- define "lockstep.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The prefix of every resource name: <release>-lockstep, or the release name when it says lockstep already. */}}
{{- define "lockstep.fullname" -}}
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

{{- define "lockstep.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource. */}}
{{- define "lockstep.labels" -}}
helm.sh/chart: {{ include "lockstep.chart" . }}
{{ include "lockstep.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: lockstep
{{- end }}

{{/* Labels that select the operator pods; never change them (Deployment selectors are immutable). */}}
{{- define "lockstep.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lockstep.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "lockstep.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "lockstep.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The runner pods' ServiceAccount, or empty for the namespace's default (see values.yaml). */}}
{{- define "lockstep.runnerServiceAccountName" -}}
{{- if .Values.runner.serviceAccount.name }}
{{- .Values.runner.serviceAccount.name }}
{{- else if and .Values.runner.serviceAccount.create .Values.watchNamespaces }}
{{- printf "%s-runner" (include "lockstep.fullname" .) }}
{{- end }}
{{- end }}

{{- define "lockstep.leaseName" -}}
{{- default (printf "%s-leader" (include "lockstep.fullname" .)) .Values.leaderElection.leaseName }}
{{- end }}

{{/* The operator image: repository@digest, or repository:tag (appVersion when no tag). */}}
{{- define "lockstep.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The runner image: the operator's unless runner.image says otherwise. */}}
{{- define "lockstep.runnerImage" -}}
{{- if .Values.runner.image.repository }}
{{- printf "%s:%s" .Values.runner.image.repository (default (default .Chart.AppVersion .Values.image.tag) .Values.runner.image.tag) }}
{{- else }}
{{- include "lockstep.image" . }}
{{- end }}
{{- end }}

{{/* "name=value,name=value" of a resources map, as the operator's --runner-requests/--runner-limits take it. */}}
{{- define "lockstep.quantities" -}}
{{- $pairs := list }}
{{- range $k, $v := . }}
{{- $pairs = append $pairs (printf "%s=%v" $k $v) }}
{{- end }}
{{- join "," $pairs }}
{{- end }}

{{/* The operator's RBAC rules, shared by the ClusterRole and the namespaced Roles. */}}
{{- define "lockstep.rules" -}}
# The resource it reconciles: an informer (list, watch); patched only to remove the retry annotation
# once acted on. Single objects are read from the informer's cache, never with get.
- apiGroups: ["lockstep.dev"]
  resources: ["schemamigrations"]
  verbs: ["list", "watch", "patch"]
# Status: its single writer, by optimistic-locking updates.
- apiGroups: ["lockstep.dev"]
  resources: ["schemamigrations/status"]
  verbs: ["update"]
# Runner Jobs carry blockOwnerDeletion: owner-reference permission enforcement (OpenShift)
# needs update on the owner's finalizers.
- apiGroups: ["lockstep.dev"]
  resources: ["schemamigrations/finalizers"]
  verbs: ["update"]
# Runner Jobs: created, read, watched (an informer); never deleted (they carry a TTL and an owner).
- apiGroups: ["batch"]
  resources: ["jobs"]
  # Read from the informer (list, watch); a Job that already exists is adopted from it after a 409.
  verbs: ["list", "watch", "create"]
# Pods of runner Jobs (their result) and of the workloads (readiness, compatibility gates): listed
# by label and watched, never read one by one.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch"]
# Workloads whose rollout and pods gate the steps.
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets"]
  # Read from the informers only.
  verbs: ["list", "watch"]
# Scripts ConfigMaps (read) and flag ConfigMaps (read, then patched with one flag's definition).
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "patch"]
# The database Secrets: get only, by name. Never list or watch: no Secret informer, so the operator
# cannot read every Secret in its scope.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
# One Lease per database serialises its migrations.
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
# Every transition is an Event on the SchemaMigration. A runner Job that has had no pod for 15s has
# its namespace's Events listed (one request) to say why: FailedCreate from Pod Security
# admission or a quota. No watch: the operator keeps no Event informer.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "list"]
# OpenFeature Operator flags: read, then patched (defaultVariant and a fractional rule only).
- apiGroups: ["core.openfeature.dev"]
  resources: ["featureflags"]
  verbs: ["get", "patch"]
{{- end }}

{{/* A duration such as 90s, 30m, 2h or 1d in seconds, for alert thresholds. */}}
{{- define "lockstep.seconds" -}}
{{- $d := toString . }}
{{- $n := trimSuffix "s" (trimSuffix "m" (trimSuffix "h" (trimSuffix "d" $d))) | int }}
{{- if hasSuffix "d" $d }}{{ mul $n 86400 }}
{{- else if hasSuffix "h" $d }}{{ mul $n 3600 }}
{{- else if hasSuffix "m" $d }}{{ mul $n 60 }}
{{- else }}{{ $n }}
{{- end }}
{{- end }}
