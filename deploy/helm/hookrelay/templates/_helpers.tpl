{{/* The three services: name (= image and Spring application name), values key, port. */}}
{{- define "hookrelay.services" -}}
api-gateway: gateway
ingest-service: ingest
delivery-service: delivery
{{- end -}}

{{- define "hookrelay.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Name of one service's objects: <fullname>-<service>. Call with (dict "root" $ "service" "api-gateway"). */}}
{{- define "hookrelay.serviceName" -}}
{{- printf "%s-%s" (include "hookrelay.fullname" .root) .service | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "hookrelay.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/part-of: hookrelay
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "hookrelay.selectorLabels" -}}
app.kubernetes.io/name: {{ .service }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* One service's settings: the defaults merged under its own values. (dict "root" $ "key" "gateway") */}}
{{- define "hookrelay.settings" -}}
{{- $own := index .root.Values .key | default dict -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.defaults) (deepCopy $own)) -}}
{{- end -}}

{{- define "hookrelay.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "hookrelay.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "hookrelay.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.repository .service (default .root.Chart.AppVersion .root.Values.image.tag) -}}
{{- end -}}

{{/* An env entry from a Secret reference {name, key}. (dict "env" "NAME" "ref" $ref) */}}
{{- define "hookrelay.secretEnv" -}}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ .ref.name }}
      key: {{ .ref.key }}
{{- end -}}

{{/* PostgreSQL settings, shared by the three services. */}}
{{- define "hookrelay.databaseEnv" -}}
- name: HOOKRELAY_DATABASE_HOST
  value: {{ .Values.postgresql.host | quote }}
- name: HOOKRELAY_DATABASE_PORT
  value: {{ .Values.postgresql.port | quote }}
- name: HOOKRELAY_DATABASE_NAME
  value: {{ .Values.postgresql.database | quote }}
- name: HOOKRELAY_DATABASE_USERNAME
  value: {{ .Values.postgresql.username | quote }}
{{- if .Values.postgresql.password.name }}
{{ include "hookrelay.secretEnv" (dict "env" "HOOKRELAY_DATABASE_PASSWORD" "ref" .Values.postgresql.password) }}
{{- end }}
{{ include "hookrelay.secretEnv" (dict "env" "HOOKRELAY_INTERNAL_TOKEN" "ref" .Values.secrets.internalToken) }}
{{- end -}}

{{- define "hookrelay.kafkaEnv" -}}
- name: HOOKRELAY_KAFKA_BOOTSTRAP_SERVERS
  value: {{ .Values.kafka.bootstrapServers | quote }}
- name: HOOKRELAY_KAFKA_MAX_RECORD_BYTES
  value: {{ .Values.kafka.maxRecordBytes | quote }}
{{ include "hookrelay.secretEnv" (dict "env" "HOOKRELAY_SECRETS_ENCRYPTION_KEY" "ref" .Values.secrets.encryptionKey) }}
{{- with .Values.kafka.env }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "hookrelay.serviceUri" -}}
{{- if .root.Values.localTest.enabled -}}
{{- printf "http://%s:%d" .root.Values.localTest.bindAddress (int .port) -}}
{{- else -}}
{{- printf "http://%s:%d" (include "hookrelay.serviceName" .) (int .port) -}}
{{- end -}}
{{- end -}}

{{/* api-gateway's own settings. (dict "root" $ "s" $settings) */}}
{{- define "hookrelay.gatewayEnv" -}}
{{- $v := .root.Values -}}
- name: HOOKRELAY_GATEWAY_MANAGEMENT_PORT
  value: {{ .s.managementPort | quote }}
- name: HOOKRELAY_GATEWAY_INGEST_URI
  value: {{ include "hookrelay.serviceUri" (dict "root" .root "service" "ingest-service" "port" $v.ingest.port) | quote }}
- name: HOOKRELAY_GATEWAY_DELIVERY_URI
  value: {{ include "hookrelay.serviceUri" (dict "root" .root "service" "delivery-service" "port" $v.delivery.port) | quote }}
{{- with .s.publicUrl }}
- name: HOOKRELAY_GATEWAY_PUBLIC_URL
  value: {{ . | quote }}
{{- end }}
- name: HOOKRELAY_GATEWAY_RATE_LIMIT_REQUESTS_PER_SECOND
  value: {{ .s.rateLimit.requestsPerSecond | quote }}
- name: HOOKRELAY_GATEWAY_RATE_LIMIT_BURST
  value: {{ .s.rateLimit.burst | quote }}
{{- if $v.redis.enabled }}
{{ include "hookrelay.secretEnv" (dict "env" "HOOKRELAY_GATEWAY_RATE_LIMIT_REDIS_URI" "ref" $v.redis.uri) }}
{{- end }}
{{- if $v.secrets.adminToken.name }}
{{ include "hookrelay.secretEnv" (dict "env" "HOOKRELAY_GATEWAY_ADMIN_TOKEN" "ref" $v.secrets.adminToken) }}
{{- end }}
{{- end -}}

{{/* delivery-service's own settings (its merged settings). */}}
{{- define "hookrelay.deliveryEnv" -}}
- name: SPRING_KAFKA_LISTENER_CONCURRENCY
  value: {{ .consumers | quote }}
- name: HOOKRELAY_DELIVERY_DESTINATIONS_ALLOW_LOOPBACK
  value: {{ .allowLoopback | quote }}
{{- with .deniedRanges }}
- name: HOOKRELAY_DELIVERY_DESTINATIONS_DENIED_RANGES
  value: {{ join "," . | quote }}
{{- end }}
{{- with .allowedRanges }}
- name: HOOKRELAY_DELIVERY_DESTINATIONS_ALLOWED_RANGES
  value: {{ join "," . | quote }}
{{- end }}
{{- end -}}
