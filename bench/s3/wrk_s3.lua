-- wrk driver for bench/s3: cycles through request targets (path + query, e.g. presigned S3
-- URLs) read from a file; PUTs send the bytes of a body file.
-- usage: wrk ... -s wrk_s3.lua URL -- TARGETS_FILE METHOD [BODY_FILE]
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

local targets = {}
local idx = 0
local method = "GET"
local body = nil
local headers = {}

function init(args)
  local f = assert(io.open(args[1], "r"))
  for line in f:lines() do
    if #line > 0 then targets[#targets + 1] = line end
  end
  f:close()
  method = args[2] or "GET"
  if args[3] and #args[3] > 0 then
    local b = assert(io.open(args[3], "rb"))
    body = b:read("*a")
    b:close()
    headers["Content-Length"] = tostring(#body)
    headers["Content-Type"] = "application/octet-stream"
  end
  -- Threads start at different offsets so they do not hit the same key in lock step.
  idx = ((tid or 1) * 7919) % #targets
end

function request()
  idx = idx % #targets + 1
  return wrk.format(method, targets[idx], headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"err_connect":%d,"err_read":%d,' ..
    '"err_write":%d,"err_status":%d,"err_timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
