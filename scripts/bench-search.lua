-- Cycles through the search paths written by `gazette dev bench-search --write-paths`, each
-- wrk thread starting at its own offset.
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do paths[#paths + 1] = line end
local counter = 0
local offset = 0

function setup(thread)
  offset = offset + 997
  thread:set("offset", offset)
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(offset + counter) % #paths + 1])
end
