-- One client of the flood benchmark (bench/flood.sh): rotates requests over the benchmark's data set or
-- over a pool of new instance ids, sends every request as one client address (X-Forwarded-For), optionally
-- paces each connection, and prints one machine-readable summary line at the end.
--
-- Arguments (after "--"):
--   1: HTTP method                      e.g. GET, PUT, POST
--   2: path template                    e.g. /discover?name={svc}  or  /heartbeat/{svc}/{id}
--   3: body template, or "-" for none   e.g. {"name":"{fsvc}","address":"{fip}","port":8080}
--   4: X-Forwarded-For value            e.g. 10.0.1.1 (the client address Beacon sees)
--   5: pause per connection between two requests, in ms (0: full speed)
--   6: services  (default 100)
--   7: instances per service (default 10)
--   8: size of the pool of new ids (default 10000)
--
-- Placeholders of the loaded data set: {svc} svc-001 .. svc-100, {ip} 10.0.<s>.<n>, {id} <ip>:8080.
-- Placeholders of the pool of new ids (request k uses pool entry k mod pool): {fsvc} flood-00 .. flood-49,
-- {fip} 10.66.<a>.<b>, unique per entry; the pool wraps, so a long flood re-registers ids it sent before;
-- {fmany} many-0000 .. many-0999 (the same pool spread over 1,000 services).
-- The pause uses wrk's delay(): a connection waits that long after each answer before its next request,
-- which bounds the client's rate to connections x 1000 / pause per second; latency is measured from
-- sending a request to its answer and never includes the pause.

local method, template, body, client
local pause = 0
local services, instances, pool = 100, 10, 10000
local counter = 0

function init(args)
   method = args[1] or "GET"
   template = args[2] or "/"
   body = args[3]
   if body == "-" then body = nil end
   client = args[4] or "127.0.0.1"
   pause = tonumber(args[5] or "0")
   services = tonumber(args[6] or "100")
   instances = tonumber(args[7] or "10")
   pool = tonumber(args[8] or "10000")
end

local function fill(text, k)
   local s = (k % services) + 1
   local n = (math.floor(k / services) % instances) + 1
   local f = k % pool
   local ip = string.format("10.0.%d.%d", s, n)
   text = text:gsub("{svc}", string.format("svc-%03d", s))
   text = text:gsub("{id}", ip .. ":8080")
   text = text:gsub("{ip}", ip)
   text = text:gsub("{fsvc}", string.format("flood-%02d", f % 50))
   text = text:gsub("{fmany}", string.format("many-%04d", f % 1000))
   text = text:gsub("{fip}", string.format("10.66.%d.%d", math.floor(f / 250) % 250, f % 250 + 1))
   return text
end

function request()
   local k = counter
   counter = counter + 1
   local headers = { ["X-Forwarded-For"] = client }
   local payload = nil
   if body then
      payload = fill(body, k)
      headers["Content-Type"] = "application/json"
   end
   return wrk.format(method, fill(template, k), headers, payload)
end

-- wrk decides whether to pace before init() reads the arguments, so delay() always exists; 0 sends the next
-- request right after the answer.
function delay()
   return pause
end

-- Answers by status class, read from every thread at the end.
ok, limited, other = 0, 0, 0
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      ok = ok + 1
   elseif status == 429 then
      limited = limited + 1
   else
      other = other + 1
   end
end

function done(summary, latency, requests)
   local seconds = summary.duration / 1000000
   local total_ok, total_limited, total_other = 0, 0, 0
   for _, thread in ipairs(threads) do
      total_ok = total_ok + thread:get("ok")
      total_limited = total_limited + thread:get("limited")
      total_other = total_other + thread:get("other")
   end
   io.write(string.format(
      "BENCH rps=%.1f p50_us=%d p99_us=%d requests=%d non2xx=%d socket_errors=%d ok=%d limited=%d other=%d\n",
      summary.requests / seconds, latency:percentile(50), latency:percentile(99), summary.requests,
      summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
         + summary.errors.timeout, total_ok, total_limited, total_other))
end
