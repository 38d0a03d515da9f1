-- wrk script of bench/run.sh: an optional method and JSON body from the environment, and one
-- machine-readable result line (`WRK {json}`) at the end, which bench/measure.py parses.
--
--   BENCH_WRK_BODY='{"title": "x"}' wrk -s bench/wrk_result.lua ... URL   (POST with that body)
--   BENCH_WRK_METHOD=OPTIONS wrk -s bench/wrk_result.lua ... URL          (another method)
local body = os.getenv("BENCH_WRK_BODY")
if body and body ~= "" then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
local method = os.getenv("BENCH_WRK_METHOD")
if method and method ~= "" then
  wrk.method = method
end

done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'WRK {"requests": %d, "seconds": %.3f, "rps": %.1f, "non2xx": %d, "socket_errors": %d, '
      .. '"timeouts": %d, "p50_ms": %.3f, "p99_ms": %.3f}\n',
    summary.requests, seconds, summary.requests / seconds, e.status,
    e.connect + e.read + e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
