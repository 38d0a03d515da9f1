-- wrk script of bench/load.sh: a mix of token-authenticated reads (a note's detail, the list of
-- one's notes, /auth/users/me/), creates and logins over many users, each thread stopping after
-- its share of LOAD_REQUESTS responses (and saying so with a file in LOAD_DONE_DIR); one
-- machine-readable result line (`LOAD {json}`) at the end with the answers counted by status
-- class.
--
-- Environment: LOAD_STATE (a file of `username token note_id` lines, one per user),
-- LOAD_PASSWORD (the users' password), LOAD_PER_THREAD (responses per thread), LOAD_LOGIN_PERMILLE
-- (logins per thousand requests, 10), LOAD_CREATE_PERMILLE (creates per thousand, 140).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  users, tokens, notes = {}, {}, {}
  for line in io.lines(os.getenv("LOAD_STATE")) do
    local user, token, note = line:match("^(%S+) (%S+) (%d+)$")
    if user then
      table.insert(users, user)
      table.insert(tokens, "Token " .. token)
      table.insert(notes, note)
    end
  end
  password = os.getenv("LOAD_PASSWORD")
  limit = tonumber(os.getenv("LOAD_PER_THREAD"))
  logins = tonumber(os.getenv("LOAD_LOGIN_PERMILLE") or "10")
  creates = logins + tonumber(os.getenv("LOAD_CREATE_PERMILLE") or "140")
  math.randomseed(os.time() * 100 + id)
  answered, s2xx, s3xx, s4xx, s429, s5xx, n = 0, 0, 0, 0, 0, 0, 0
  sent = {login = 0, create = 0, detail = 0, list = 0, me = 0}
end

local json = {["Content-Type"] = "application/json"}

function request()
  local r = math.random(1000)
  local i = math.random(#users)
  n = n + 1
  if r <= logins then
    sent.login = sent.login + 1
    local body = '{"username": "' .. users[i] .. '", "password": "' .. password .. '"}'
    return wrk.format("POST", "/api-token-auth/", json, body)
  end
  local headers = {["Authorization"] = tokens[i], ["Content-Type"] = "application/json"}
  if r <= creates then
    sent.create = sent.create + 1
    local body = '{"title": "load ' .. id .. '-' .. n .. '", "body": "written under load"}'
    return wrk.format("POST", "/api/notes/", headers, body)
  elseif r <= 550 then
    sent.detail = sent.detail + 1
    return wrk.format("GET", "/api/notes/" .. notes[i] .. "/", headers)
  elseif r <= 800 then
    sent.list = sent.list + 1
    return wrk.format("GET", "/api/notes/", headers)
  end
  sent.me = sent.me + 1
  return wrk.format("GET", "/auth/users/me/", headers)
end

function response(status, headers, body)
  answered = answered + 1
  if status >= 500 then s5xx = s5xx + 1
  elseif status == 429 then s429 = s429 + 1
  elseif status >= 400 then s4xx = s4xx + 1
  elseif status >= 300 then s3xx = s3xx + 1
  else s2xx = s2xx + 1 end
  if answered == limit then
    -- wrk runs for its whole duration even once every thread has stopped: a file per finished
    -- thread tells load.sh when to interrupt it (SIGINT makes wrk report at once).
    local marker = io.open(os.getenv("LOAD_DONE_DIR") .. "/thread-" .. id, "w")
    if marker then marker:close() end
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local total = {s2xx = 0, s3xx = 0, s4xx = 0, s429 = 0, s5xx = 0}
  local mix = {login = 0, create = 0, detail = 0, list = 0, me = 0}
  for _, t in ipairs(threads) do
    for k, _ in pairs(total) do total[k] = total[k] + t:get(k) end
    local s = t:get("sent")
    for k, _ in pairs(mix) do mix[k] = mix[k] + s[k] end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'LOAD {"requests": %d, "seconds": %.3f, "rps": %.1f, "s2xx": %d, "s3xx": %d, "s4xx": %d, '
      .. '"s429": %d, "s5xx": %d, "socket_errors": %d, "timeouts": %d, "p50_ms": %.3f, '
      .. '"p99_ms": %.3f, "max_ms": %.3f, "sent": {"login": %d, "create": %d, "detail": %d, '
      .. '"list": %d, "me": %d}}\n',
    summary.requests, seconds, summary.requests / seconds, total.s2xx, total.s3xx, total.s4xx,
    total.s429, total.s5xx, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    mix.login, mix.create, mix.detail, mix.list, mix.me))
end
