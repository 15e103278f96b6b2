-- wrk script: each request takes the next page of the mix (MIX_FILE), with that page's user's
-- cookies; without MIX_FILE, the URL given to wrk. PORTS="8766 8767": the threads take the
-- servers in turn (thread 1 the first, thread 2 the second, ...), as a balancer spreading
-- connections. Ends with one line: requests/s, p50, p99 and errors of every kind.
local pages = {}
local file = os.getenv("MIX_FILE")
if file and file ~= "" then
  for line in io.lines(file) do
    local path, cookie = line:match("^(%S+)\t([^\t]+)$")
    if path then pages[#pages + 1] = { path = path, cookie = cookie } end
  end
end

local ports = {}
for port in (os.getenv("PORTS") or ""):gmatch("%d+") do ports[#ports + 1] = port end
local threads = 0
function setup(thread)
  threads = threads + 1
  if #ports > 0 then
    local port = ports[(threads - 1) % #ports + 1]
    thread.addr = wrk.lookup("127.0.0.1", port)[1]
    thread:set("port", port)
  end
end

local i = 0
if #pages > 0 then
  request = function()
    i = i % #pages + 1
    return wrk.format("GET", pages[i].path, { ["Cookie"] = pages[i].cookie })
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format(
    "SUMMARY servers=%d req/s=%.1f p50=%.1fms p99=%.1fms errors=%d requests=%d\n",
    math.max(#ports, 1), summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors, summary.requests))
end
