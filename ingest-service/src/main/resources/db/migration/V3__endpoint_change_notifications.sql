-- Every change to an endpoint row tells delivery-service which application's endpoints changed,
-- so it can drop its cached copy (ADR 0009). A trigger, rather than a NOTIFY in each write path
-- of the code, so that no write can forget it: API writes, the EndpointDisabled listener, an
-- application deleted with its endpoints (the cascade fires row triggers), a manual fix in psql.
-- PostgreSQL delivers the notification at commit (never for a rolled-back change) and folds
-- identical ones within a transaction into one.
create function endpoint_changed() returns trigger
    language plpgsql
as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        perform pg_notify('hookrelay_endpoint_changed', old.app_id);
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        perform pg_notify('hookrelay_endpoint_changed', new.app_id);
    end if;
    return null;
end;
$$;

create trigger endpoint_changed
    after insert or update or delete on endpoint
    for each row execute function endpoint_changed();
