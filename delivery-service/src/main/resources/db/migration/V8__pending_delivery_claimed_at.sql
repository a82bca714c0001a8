-- When the current claim for an attempt began; null while nobody is attempting the delivery (it
-- waits for its due time, or is dead). A row the retry poller claims with claimed_at still set
-- was claimed for an attempt whose outcome never came: the process stopped during it (ADR 0027),
-- and the attempt list gets a row saying its outcome is unknown. No extra write on the normal
-- path: every statement that claims or releases a row sets this column in the same statement.
-- No default: a writer that does not know the column (an older delivery-service during a rolling
-- upgrade, a row written by hand) leaves it null, which never invents an attempt.
alter table pending_delivery add column claimed_at timestamptz;
