-- wrk script that spreads requests over many request targets (e.g. one per token), read from a
-- file with one target per line. Arguments after wrk's "--":
--   cycle FILE    requests cycle through the targets without end
--   once FILE N   each target is requested once, the wrk threads (N must be wrk's -t) taking
--                 every N-th line each; a thread stops once all of its targets are answered
-- Reports like report.lua.

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local targets = {}
local next_target = 1
local mode = nil
local answered = 0
local expected = 0
local threads_started = 0

-- wrk calls setup (in its main Lua state) and then init (in the new thread's state) for one
-- thread before it creates the next, so the thread count comes as an argument.
function setup(thread)
  thread:set("thread_index", threads_started)
  threads_started = threads_started + 1
end

function init(args)
  mode = args[1]
  assert(mode == "cycle" or mode == "once", "usage: -- cycle FILE | -- once FILE THREADS")
  local file = assert(io.open(args[2], "r"), "cannot read " .. tostring(args[2]))
  local thread_count = tonumber(args[3]) or 1
  local line_number = 0
  for line in file:lines() do
    if mode == "cycle" or line_number % thread_count == thread_index then
      table.insert(targets, line)
    end
    line_number = line_number + 1
  end
  file:close()
  assert(#targets > 0, "no request targets for this thread in " .. args[2])
  expected = #targets
  -- wrk builds one request of the first thread at start-up to check it and never sends it.
  if thread_index == 0 then table.insert(targets, 1, targets[1]) end
end

function request()
  local target = targets[next_target]
  if next_target < #targets then
    next_target = next_target + 1
  elseif mode == "cycle" then
    next_target = 1
  end
  return wrk.format("GET", target)
end

function response(status, headers, body)
  if mode ~= "once" then return end
  answered = answered + 1
  if answered >= expected then wrk.thread:stop() end
end
