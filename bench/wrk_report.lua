-- For bench/run.py. `wrk ... -s wrk_report.lua URL -- miss RUN` appends a unique
-- `nocache=RUN-N` parameter to every request, so no two requests share a cached rendering;
-- without arguments every request is the same. At the end wrk's summary is printed as one
-- JSON line prefixed WRKJSON. Latencies are in microseconds; errors.status counts responses
-- with a status above 399.
local miss = false
local run = "0"
local counter = 0

init = function(args)
    miss = args[1] == "miss"
    run = args[2] or "0"
end

request = function()
    if not miss then
        return wrk.format(nil, wrk.path)
    end
    counter = counter + 1
    local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
    return wrk.format(nil, wrk.path .. separator .. "nocache=" .. run .. "-" .. counter)
end

done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
            .. '"write": %d, "status": %d, "timeout": %d, "mean_us": %.1f, "p50_us": %d, '
            .. '"p95_us": %d, "p99_us": %d, "max_us": %d}\n',
        summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
        e.status, e.timeout, latency.mean, latency:percentile(50), latency:percentile(95),
        latency:percentile(99), latency.max
    ))
end
