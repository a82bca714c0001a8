-- The trace id of the attempt's span (ADR 0018): look an attempt up in the tracing backend, or find
-- its log lines, which carry the same id. Kept even when the trace was not recorded. Null for
-- attempts made before this column existed. Not part of the API (Svix's MessageAttemptOut has no
-- such field).
alter table attempt add column trace_id text;
