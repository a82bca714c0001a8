-- Endpoint stats (GET …/endpoint/{id}/stats) count one endpoint's deliveries in a time window in
-- one aggregate query. An endpoint can have millions of attempts: this index lets the query read
-- only the window's entries of that endpoint, from the index alone (msg_id and status included).
create index attempt_endpoint_created on attempt (endpoint_id, created_at) include (msg_id, status);

-- The unfinished deliveries of one endpoint (the stats' pending/sending counts, and the listings
-- of attempted messages), instead of a scan of the whole retry schedule.
create index pending_delivery_endpoint on pending_delivery (endpoint_id);
