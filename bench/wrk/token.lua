-- rotate.lua with a bearer token: every request carries "Authorization: Bearer $BEACON_TOKEN" when the
-- variable is set (bench/security.sh). Same arguments as rotate.lua.
local dir = debug.getinfo(1, "S").source:match("^@?(.*/)") or "./"
dofile(dir .. "rotate.lua")

local token = os.getenv("BEACON_TOKEN")
local format = wrk.format
wrk.format = function(method, path, headers, body)
   headers = headers or {}
   if token and token ~= "" then
      headers["Authorization"] = "Bearer " .. token
   end
   return format(method, path, headers, body)
end
