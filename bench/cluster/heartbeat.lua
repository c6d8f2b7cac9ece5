-- PUT /heartbeat/bench/i-N for random N among the registered instances
local n = tonumber(os.getenv("INSTANCES") or "1000")
request = function()
  return wrk.format("PUT", "/heartbeat/bench/i-" .. math.random(1, n))
end
