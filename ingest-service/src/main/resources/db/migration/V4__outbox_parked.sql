-- Outbox records Kafka refused for a reason retrying cannot cure (too large, invalid topic, not
-- authorised on the topic...): the relay moves them here so they stop blocking the records behind
-- them. Kept until an operator re-publishes them (ingest.republish_parked) or deletes them.
create table outbox_parked (
    id         bigint primary key,          -- the id the record had in ingest.outbox
    topic      text        not null,
    record_key text        not null,
    payload    bytea       not null,
    created_at timestamptz not null,
    parked_at  timestamptz not null default now(),
    error      text        not null
);

-- The supported way back: moves one parked record (or all of them, given null) to the outbox,
-- where the relay publishes it within its poll interval; answers how many were moved.
--   select ingest.republish_parked(42);     select ingest.republish_parked(null);
create function republish_parked(parked_id bigint) returns bigint
    language sql
as $$
    with moved as (
        delete from ingest.outbox_parked where parked_id is null or id = parked_id
        returning id, topic, record_key, payload, created_at),
    inserted as (
        insert into ingest.outbox (topic, record_key, payload, created_at)
        select topic, record_key, payload, created_at from moved order by id
        returning 1)
    select count(*) from inserted
$$;
