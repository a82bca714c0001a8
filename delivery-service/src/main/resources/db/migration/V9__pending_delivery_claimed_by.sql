-- Which process holds the claim of a delivery being attempted: the key of the PostgreSQL advisory
-- lock that process holds on a session of its own for as long as it runs (ClaimantSession). When
-- the process dies its session ends and the lock with it, and the other replicas take over its
-- claims at once instead of when their lease ends (ADR 0032). Set and cleared together with
-- claimed_at, in the same statements. Null: nobody attempts it, or it was claimed by a process
-- that does not know this column (an older delivery-service during a rolling upgrade) — such a
-- claim ends with its lease, as before.
alter table pending_delivery add column claimed_by bigint;
-- The take-over looks only at claimed rows: the few in flight, not the whole schedule.
create index pending_delivery_claimed_by on pending_delivery (claimed_by) where claimed_by is not null;
