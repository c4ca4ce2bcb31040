-- wrk script for benchmarks/pages.sh: each request reads a random seeded audit's page; prints p50, p95, p99 (ms).
local audits = tonumber(os.getenv("PAGES_AUDITS") or "900000")
request = function()
  return wrk.format("GET", "/audits/seed-" .. math.random(1, audits))
end
done = function(summary, latency, requests)
  io.write(string.format("audit page: %d requests, %d errors (status), p50 %.1f ms, p95 %.1f ms, p99 %.1f ms\n",
    summary.requests, summary.errors.status, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
