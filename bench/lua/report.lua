-- wrk script that only reports: one line "WRK_RESULT {json}" at the end, read by the runner
-- (wrk's own summary rounds its figures). It defines no request() or response(), so wrk sends
-- the same pre-built request at full speed; targets.lua reuses its done().

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%.0f,"p99_us":%.0f,' ..
    '"max_us":%.0f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
