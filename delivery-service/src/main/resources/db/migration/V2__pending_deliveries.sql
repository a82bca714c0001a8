-- The durable retry schedule: one row per (message, endpoint) whose delivery is not finished.
-- 'scheduled' rows are tried again at due_at; 'dead' rows have failed for good and wait for
-- their dead-letter record to be published (then they are deleted). A poller claims due rows by
-- pushing due_at forward (a lease), so a process that dies mid-attempt leaves the row to be
-- picked up again when the lease runs out.

create table pending_delivery (
    msg_id        text        not null,
    endpoint_id   text        not null,
    app_id        text        not null,
    attempts      integer     not null, -- attempts made so far
    state         text        not null, -- scheduled | dead
    due_at        timestamptz not null,
    last_outcome  text        not null,
    last_reason   text        not null,
    updated_at    timestamptz not null,
    primary key (msg_id, endpoint_id)
);

create index pending_delivery_due on pending_delivery (due_at);
