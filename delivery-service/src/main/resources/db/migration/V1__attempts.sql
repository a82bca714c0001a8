-- delivery-service owns the schema "delivery": every attempt to deliver a message to an endpoint.

create table attempt (
    id                   text primary key,
    app_id               text        not null,
    msg_id               text        not null,
    endpoint_id          text        not null,
    url                  text        not null,
    status               smallint    not null, -- Svix MessageStatus: 0 success, 1 pending, 2 fail, 3 sending
    response_status_code smallint    not null, -- 0 when no response was received
    response             text        not null, -- first bytes of the response body, or why there was none
    response_duration_ms bigint      not null,
    trigger_type         smallint    not null, -- 0 scheduled, 1 manual
    outcome              text        not null, -- delivered | retryable | endpoint_gone | failed | refused
    created_at           timestamptz not null
);

create index attempt_app_msg on attempt (app_id, msg_id, id);
create index attempt_app_endpoint on attempt (app_id, endpoint_id, id);
