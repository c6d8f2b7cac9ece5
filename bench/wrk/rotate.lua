-- Rotates requests over the benchmark's data set (SERVICES services x INSTANCES instances) and prints
-- one machine-readable summary line at the end.
--
-- Arguments (after "--"):
--   1: HTTP method                      e.g. GET, PUT, POST
--   2: path template                    e.g. /discover?name={svc}  or  /heartbeat/{svc}/{id}
--   3: body template, or "-" for none   e.g. {"name":"{svc}","address":"{ip}","port":8080}
--   4: Accept header, or "-" for none   e.g. application/json
--   5: services  (default 100)
--   6: instances per service (default 10)
--
-- Placeholders: {svc} svc-001 .. svc-100, {app} SVC-001 (Eureka app name), {ip} 10.0.<s>.<n>,
-- {id} <ip>:8080 (the instance id both servers are loaded with).
-- Each wrk thread starts at a different offset so threads do not hit the same instance in lockstep.

local method, template, body, accept
local services, instances = 100, 10
local counter = 0
local thread_count = 0

function setup(thread)
   thread:set("offset", thread_count * 7919)
   thread_count = thread_count + 1
end

function init(args)
   method = args[1] or "GET"
   template = args[2] or "/"
   body = args[3]
   if body == "-" then body = nil end
   accept = args[4]
   if accept == "-" then accept = nil end
   services = tonumber(args[5] or "100")
   instances = tonumber(args[6] or "10")
   counter = tonumber(offset or 0)
end

local function fill(text, s, n)
   local svc = string.format("svc-%03d", s)
   local ip = string.format("10.0.%d.%d", s, n)
   text = text:gsub("{svc}", svc)
   text = text:gsub("{app}", svc:upper())
   text = text:gsub("{id}", ip .. ":8080")
   text = text:gsub("{ip}", ip)
   return text
end

function request()
   local k = counter
   counter = counter + 1
   local s = (k % services) + 1
   local n = (math.floor(k / services) % instances) + 1
   local headers = {}
   if accept then headers["Accept"] = accept end
   local payload = nil
   if body then
      payload = fill(body, s, n)
      headers["Content-Type"] = "application/json"
   end
   return wrk.format(method, fill(template, s, n), headers, payload)
end

function done(summary, latency, requests)
   local seconds = summary.duration / 1000000
   io.write(string.format(
      "BENCH rps=%.1f p50_us=%d p99_us=%d requests=%d non2xx=%d socket_errors=%d bytes=%d\n",
      summary.requests / seconds, latency:percentile(50), latency:percentile(99), summary.requests,
      summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
         + summary.errors.timeout, summary.bytes))
end
