-- wrk script: each request takes the next page of the mix, with that page's user's session.
local pages = {}
for line in io.lines(os.getenv("MIX_FILE")) do
  local path, session = line:match("^(%S+)\t(%S+)$")
  if path then pages[#pages + 1] = { path = path, cookie = "sessionid=" .. session } end
end
local i = 0
request = function()
  i = i % #pages + 1
  return wrk.format("GET", pages[i].path, { ["Cookie"] = pages[i].cookie })
end
