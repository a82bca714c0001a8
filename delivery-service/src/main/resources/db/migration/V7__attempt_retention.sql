-- The attempt retention sweep (ADR 0022) deletes attempts older than the window, a bounded batch
-- at a time, oldest first; without this index each batch would read the whole table.
create index attempt_created on attempt (created_at);
