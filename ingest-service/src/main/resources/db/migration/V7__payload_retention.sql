-- Svix's payloadRetentionPeriod (5 to 90 days, default 90): when the message's payload is removed
-- (ADR 0022). ingest writes it with every message; the default serves writers that do not name the
-- column (an older ingest during a rolling upgrade). now() is stable, so existing rows get the
-- value of this statement's time without a table rewrite: they keep their payloads 90 days from
-- the upgrade, never less than they were promised.
alter table message add column payload_expires_at timestamptz not null default now() + interval '90 days';

-- The retention sweep reads only the payloads still held, oldest expiry first.
create index message_payload_expiry on message (payload_expires_at) where payload_expunged_at is null;

-- The eventId sweep deletes by age; without this it read the whole table every run.
create index message_event_id_created on message_event_id (created_at);
