-- wrk script for deploy/bench/gateway-overhead.sh: the same request mix through the gateway and
-- straight to ingest-service. Alternates GET /api/v1/app/{app} and POST /api/v1/app/{app}/msg with
-- a 256-byte JSON payload. Arguments (after --): application id, credential header name, value, and
-- optionally a second header name and value (straight to ingest-service: the caller's scope, which
-- the gateway otherwise adds).
--
--   wrk -t1 -c16 -d20s --latency -s gateway-overhead.lua http://127.0.0.1:8080 -- app_... Authorization "Bearer ..."

local get_request, post_request
local sent = 0

function init(args)
  local app, header, value = args[1], args[2], args[3]
  local headers = { [header] = value }
  if args[4] then
    headers[args[4]] = args[5]
  end
  -- {"data":"xxx…"} is exactly 256 bytes
  local payload = '{"data":"' .. string.rep("x", 256 - 11) .. '"}'
  local body = '{"eventType":"bench.overhead","payload":' .. payload .. '}'
  get_request = wrk.format("GET", "/api/v1/app/" .. app, headers)
  local post_headers = { ["Content-Type"] = "application/json" }
  for name, v in pairs(headers) do
    post_headers[name] = v
  end
  post_request = wrk.format("POST", "/api/v1/app/" .. app .. "/msg", post_headers, body)
end

function request()
  sent = sent + 1
  if sent % 2 == 0 then
    return post_request
  end
  return get_request
end

-- One machine-readable line for the shell script; latencies in milliseconds.
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50=%.3f p90=%.3f p99=%.3f max=%.3f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
