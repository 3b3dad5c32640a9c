-- wrk script: GET /v1/meetings/{id} with a real key (PARLOR_BENCH_KEY).
local key = os.getenv("PARLOR_BENCH_KEY")
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. key

done = function(summary, latency, requests)
  io.write(string.format("p50_ms=%.2f p99_ms=%.2f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
