-- Since when each endpoint has been failing without a single success (null: healthy), so an
-- endpoint failing continuously for longer than allowed (default 5 days) can be disabled.
create table endpoint_health (
    endpoint_id   text primary key,
    app_id        text        not null,
    failing_since timestamptz,
    disabled_at   timestamptz
);
