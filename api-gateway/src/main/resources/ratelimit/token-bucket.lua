-- One token from the bucket KEYS[1], atomically, on Redis's clock (every gateway replica sees the
-- same time). The same arithmetic as TokenBucket.java.
-- ARGV[1] capacity, ARGV[2] tokens per second.
-- Returns {allowed (0|1), whole tokens left, ms until a token is back, ms until full}.
local capacity = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2]) / 1000.0
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
if now > at then
  tokens = math.min(capacity, tokens + (now - at) * per_ms)
  at = now
end

local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
local retry_after = 0
if allowed == 0 then
  retry_after = math.ceil((1 - tokens) / per_ms)
end
local reset = math.ceil((capacity - tokens) / per_ms)

redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
-- a bucket that would be full again is the same as no bucket
redis.call('PEXPIRE', KEYS[1], reset + 1000)
return {allowed, math.floor(tokens), retry_after, reset}
