-- wrk driver for bench/s3/cors_bench.py: cycles through request targets read from a file (path +
-- query, e.g. presigned S3 URLs) and sends each with the given headers.
-- usage: wrk ... -s wrk_headers.lua URL -- TARGETS_FILE METHOD ["Name: value" ...]
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end

local targets = {}
local idx = 0
local method = "GET"
local headers = {}

function init(args)
  local f = assert(io.open(args[1], "r"))
  for line in f:lines() do
    if #line > 0 then targets[#targets + 1] = line end
  end
  f:close()
  method = args[2] or "GET"
  for i = 3, #args do
    local name, value = string.match(args[i], "^([^:]+):%s*(.*)$")
    if name then headers[name] = value end
  end
  idx = ((tid or 1) * 7919) % #targets
end

function request()
  idx = idx % #targets + 1
  return wrk.format(method, targets[idx], headers, nil)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"err_connect":%d,"err_read":%d,"err_write":%d,' ..
    '"err_status":%d,"err_timeout":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
