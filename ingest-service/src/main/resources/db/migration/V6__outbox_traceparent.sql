-- The W3C traceparent of the request that accepted the message (ADR 0018): the relay may publish
-- the record long after the request, even from another process after a restart, and puts it in the
-- Kafka record's "traceparent" header so delivery continues the same trace. Null for rows written
-- before this column existed, or when nothing traced the request: delivery then starts a new trace.
alter table outbox add column traceparent text;
alter table outbox_parked add column traceparent text;

create or replace function republish_parked(parked_id bigint) returns bigint
    language sql
as $$
    with moved as (
        delete from ingest.outbox_parked where parked_id is null or id = parked_id
        returning id, topic, record_key, payload, created_at, traceparent),
    inserted as (
        insert into ingest.outbox (topic, record_key, payload, created_at, traceparent)
        select topic, record_key, payload, created_at, traceparent from moved order by id
        returning 1)
    select count(*) from inserted
$$;
