-- PaymentLoad's wrk script (docs/benchmarks.md, "Payments: confirmations beside pgbench").
-- Arguments: the file of signed requests (raw HTTP/1.1, each ended by a NUL byte) and wrk's thread count.
-- Each thread sends its share of the requests, each once, and counts the answers: a confirmation counts when it
-- answers 200 with "status":"succeeded". A thread whose share ran out stops (and says so).
local threads = {}
local count = 0

function setup(thread)
  thread:set("id", count)
  count = count + 1
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  local all = file:read("*a")
  file:close()
  local total = tonumber(args[2])
  requests = {}
  local i = 0
  for request in string.gmatch(all, "([^%z]+)%z") do
    if i % total == id then
      requests[#requests + 1] = request
    end
    i = i + 1
  end
  nextRequest = 1
  ok = 0
  failed = 0
  exhausted = 0
end

function request()
  local r = requests[nextRequest]
  if r == nil then
    -- nothing left: repeat the last one (refused as a replay, not counted) and stop on its answer
    exhausted = 1
    return requests[#requests]
  end
  nextRequest = nextRequest + 1
  return r
end

function response(status, headers, body)
  if exhausted == 1 then
    wrk.thread:stop()
    return
  end
  if status == 200 and string.find(body, '"status":"succeeded"', 1, true) then
    ok = ok + 1
  else
    failed = failed + 1
    if failed <= 3 then
      io.write("confirmation answered " .. status .. ": " .. string.gsub(string.sub(body, 1, 300), "[%c]", " ") .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local o, f, e = 0, 0, 0
  for _, thread in ipairs(threads) do
    o = o + thread:get("ok")
    f = f + thread:get("failed")
    e = e + thread:get("exhausted")
  end
  io.write(string.format("capsule-load ok=%d failed=%d exhausted=%d duration_us=%d p50_us=%d p99_us=%d\n",
    o, f, e, summary.duration, latency:percentile(50), latency:percentile(99)))
end
