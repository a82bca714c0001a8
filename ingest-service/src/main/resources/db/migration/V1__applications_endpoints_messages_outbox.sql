-- ingest-service owns the schema "ingest" (Flyway creates it and keeps its history there).
-- delivery-service reads application and endpoint (read-only) to fan messages out.

create table application (
    id            text primary key,
    uid           text unique,
    name          text        not null,
    metadata      jsonb       not null default '{}',
    throttle_rate integer,
    created_at    timestamptz not null,
    updated_at    timestamptz not null
);

create table endpoint (
    id            text primary key,
    app_id        text        not null references application (id) on delete cascade,
    uid           text,
    url           text        not null,
    description   text        not null default '',
    version       integer     not null default 1,
    event_types   text[],
    channels      text[],
    disabled      boolean     not null default false,
    throttle_rate integer,
    metadata      jsonb       not null default '{}',
    secret        text        not null,
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    unique (app_id, uid)
);

create index endpoint_app_id on endpoint (app_id, id);

create table message (
    id          text primary key,
    app_id      text        not null references application (id) on delete cascade,
    event_type  text        not null,
    event_id    text,
    channels    text[],
    payload     text        not null,
    created_at  timestamptz not null
);

create index message_app_id on message (app_id, id);

-- Transactional outbox: written in the same transaction as the message, published to Kafka by
-- the relay, deleted once the broker has acknowledged it.
create table outbox (
    id         bigserial primary key,
    topic      text        not null,
    record_key text        not null,
    payload    bytea       not null,
    created_at timestamptz not null default now()
);
