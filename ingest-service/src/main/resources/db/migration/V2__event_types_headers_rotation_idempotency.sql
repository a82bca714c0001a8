-- Issue 4: the rest of the Svix API on the ingest side. Only new columns and tables: the columns
-- delivery-service reads keep their meaning.

-- Custom headers sent with every delivery to the endpoint (Svix "endpoint headers").
alter table endpoint add column headers jsonb not null default '{}';

-- Secret rotation: the secret replaced by the last rotation keeps signing, next to the current
-- one, until previous_secret_expires_at (Svix: 24 h by default), so receivers can switch over.
alter table endpoint add column previous_secret text;
alter table endpoint add column previous_secret_expires_at timestamptz;

-- Set when the payload was expunged (DELETE .../msg/{id}/content): payload is then '{}' and
-- the message must not be resent.
alter table message add column payload_expunged_at timestamptz;

-- eventId deduplication: one row per (application, eventId); a message that reuses an eventId
-- within 24 h returns the original. The primary key serialises concurrent duplicates.
create table message_event_id (
    app_id     text        not null references application (id) on delete cascade,
    event_id   text        not null,
    msg_id     text        not null,
    created_at timestamptz not null,
    primary key (app_id, event_id)
);

create index message_app_created on message (app_id, created_at);

-- Listings page by id compared byte-wise (collate "C": base62 KSUIDs sort by time only so).
create index application_id_c on application (id collate "C");
create index endpoint_app_id_c on endpoint (app_id, id collate "C");
create index message_app_id_c on message (app_id, id collate "C");

create table event_type (
    name         text primary key,
    description  text        not null,
    archived     boolean     not null default false,
    deprecated   boolean     not null default false,
    feature_flag text,
    schemas      jsonb,
    created_at   timestamptz not null,
    updated_at   timestamptz not null
);

-- idempotency-key: the first response to a POST, replayed to retries with the same key for 24 h.
-- response_status is null while the first request is still being handled.
create table idempotency_key (
    key              text primary key,
    response_status  integer,
    content_type     text,
    response_body    bytea,
    created_at       timestamptz not null
);

create index idempotency_key_created on idempotency_key (created_at);
