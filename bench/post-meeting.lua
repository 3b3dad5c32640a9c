-- wrk script: POST /v1/meetings with a real key (PARLOR_BENCH_KEY) and a valid body.
local key = os.getenv("PARLOR_BENCH_KEY")
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. key
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"endDate":"2099-01-01T00:00:00Z","roomNamePrefix":"bench-"}'

local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  io.write(string.format("p50_ms=%.2f p99_ms=%.2f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
