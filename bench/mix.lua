-- wrk script: each request takes the next page of the mix, with that page's user's cookies.
local pages = {}
for line in io.lines(os.getenv("MIX_FILE")) do
  local path, cookie = line:match("^(%S+)\t([^\t]+)$")
  if path then pages[#pages + 1] = { path = path, cookie = cookie } end
end
local i = 0
request = function()
  i = i % #pages + 1
  return wrk.format("GET", pages[i].path, { ["Cookie"] = pages[i].cookie })
end
