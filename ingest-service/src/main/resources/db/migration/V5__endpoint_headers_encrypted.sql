-- Issue 11: custom headers carry receivers' credentials (Authorization, API keys), so they are
-- stored like the signing secret: encrypted text, enc:v2:<key id>:<base64>, bound to the row.
-- NULL means no headers. Rows that have headers keep their JSON text here; with a key configured
-- both services refuse to use such a value until the re-encrypt command (docs/configuration.md)
-- seals it. That step is an operator's command, not this migration: SQL has no key, and a
-- migration that sealed whatever it found would also seal a value someone slipped into the table.
alter table endpoint alter column headers drop default;
alter table endpoint alter column headers drop not null;
alter table endpoint alter column headers type text
    using case when headers = '{}'::jsonb then null else headers::text end;
