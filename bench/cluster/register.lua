-- POST /register for ids i-1..i-LIMIT (each wrk thread takes its own stripe), then re-registers
local limit = tonumber(os.getenv("LIMIT") or "100000")
local counter = 0
local stride = 1
offset = 0 -- global: set per thread by setup()
local threads = {}
setup = function(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end
init = function(args)
  stride = tonumber(os.getenv("THREADS") or "2")
end
request = function()
  local id = ((counter * stride + offset) % limit) + 1
  counter = counter + 1
  local body = '{"name":"rejoin","id":"r-' .. id .. '","address":"10.2.0.1","port":' .. (1000 + id % 60000) .. '}'
  return wrk.format("POST", "/register", {["Content-Type"] = "application/json"}, body)
end
