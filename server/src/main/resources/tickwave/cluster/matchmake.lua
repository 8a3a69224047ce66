-- Picks a seat and reserves it, atomically (docs/scale-out.md): no two requests get the last seat.
-- A room's seats taken = its players (from its node's heartbeat) + live reservations (a sorted set of
-- request nonces scored by expiry, on Redis's own clock).
-- ARGV: prefix, wanted room id (0: any), game ('' any), capacity of a new room, reservation ms, nonce.
-- Returns {'ok', room id, node id, node url} or {reason}: no-such-room, draining, full, no-node.
-- A fresh Redis (or one restarted empty) starts room ids at a random point of [1, 2^30], not at 1: rooms
-- still playing on nodes that have not re-registered yet hold low ids of the old sequence.
local function seedRoomIds(p)
  if redis.call('EXISTS', p .. 'room-seq') == 0 then
    local t = redis.call('TIME')
    redis.call('SET', p .. 'room-seq', tostring((tonumber(t[1]) * 1000003 + tonumber(t[2])) % 1073741824 + 1))
  end
end
local p = ARGV[1]
local wanted = tonumber(ARGV[2])
local game = ARGV[3]
local newCapacity = ARGV[4]
local holdMs = tonumber(ARGV[5])
local nonce = ARGV[6]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local nodes = {}
local function node(id)
  local n = nodes[id]
  if n == nil then
    local h = redis.call('HMGET', p .. 'node:' .. id, 'url', 'draining', 'players', 'capacity', 'game')
    if h[1] then
      n = { id = id, url = h[1], draining = h[2] == '1', load = tonumber(h[3]) or 0,
            capacity = math.max(tonumber(h[4]) or 1, 1), game = h[5] }
    else
      n = false -- expired: the node died or left
      redis.call('SREM', p .. 'nodes', id)
    end
    nodes[id] = n
  end
  return n
end

local function taken(rid, players)
  local seats = p .. 'room:' .. rid .. ':seats'
  redis.call('ZREMRANGEBYSCORE', seats, '-inf', now)
  return players + redis.call('ZCARD', seats)
end

local function reserve(rid, n)
  local seats = p .. 'room:' .. rid .. ':seats'
  redis.call('ZADD', seats, now + holdMs, nonce)
  redis.call('PEXPIRE', seats, holdMs)
  return { 'ok', tostring(rid), n.id, n.url }
end

if wanted > 0 then
  local r = redis.call('HMGET', p .. 'room:' .. wanted, 'node', 'players', 'capacity', 'locked')
  if not r[1] then return { 'no-such-room' } end
  local n = node(r[1])
  if not n then return { 'no-such-room' } end
  if n.draining then return { 'draining' } end
  if r[4] == '1' or taken(wanted, tonumber(r[2])) >= tonumber(r[3]) then return { 'full' } end
  return reserve(wanted, n)
end

-- Any room: the fullest one with a free seat, on a live node that is not draining, so rooms fill up.
local best, bestNode, bestFree
for _, rid in ipairs(redis.call('SMEMBERS', p .. 'rooms')) do
  local r = redis.call('HMGET', p .. 'room:' .. rid, 'node', 'players', 'capacity', 'locked', 'game')
  if not r[1] then
    redis.call('SREM', p .. 'rooms', rid)
  else
    local n = node(r[1])
    if n then
      local players = tonumber(r[2])
      local seated = taken(rid, players)
      n.load = n.load + seated - players
      local free = tonumber(r[3]) - seated
      if not n.draining and r[4] ~= '1' and (game == '' or r[5] == game) and free > 0
          and (best == nil or free < bestFree) then
        best, bestNode, bestFree = rid, n, free
      end
    end
  end
end
if best then return reserve(best, bestNode) end

-- No free seat: a new room on the least-loaded node (players and reservations over capacity).
local target
for _, id in ipairs(redis.call('SMEMBERS', p .. 'nodes')) do
  local n = node(id)
  if n and not n.draining and (game == '' or n.game == game) and n.load < n.capacity
      and (target == nil or n.load / n.capacity < target.load / target.capacity) then
    target = n
  end
end
if not target then return { 'no-node' } end
seedRoomIds(p)
local rid = redis.call('INCR', p .. 'room-seq')
while redis.call('EXISTS', p .. 'room:' .. rid) == 1 do rid = redis.call('INCR', p .. 'room-seq') end
local roomKey = p .. 'room:' .. rid
redis.call('HSET', roomKey, 'node', target.id, 'players', '0', 'capacity', newCapacity, 'locked', '0',
    'game', target.game or '')
redis.call('PEXPIRE', roomKey, holdMs)
redis.call('SADD', p .. 'rooms', tostring(rid))
return reserve(rid, target)
