-- One row per endpoint whose recovery (POST …/endpoint/{id}/recover) is running, in any replica:
-- a second recovery of the same endpoint finds the row and is answered 409. The row is deleted
-- when the recovery has handed its messages over; expires_at frees it should the process die first.
create table running_recovery (
    endpoint_id text        primary key,
    app_id      text        not null,
    started_at  timestamptz not null,
    expires_at  timestamptz not null
);
