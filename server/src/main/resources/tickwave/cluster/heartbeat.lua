-- A node's heartbeat (docs/scale-out.md): registers the node and every room it holds, each under a key
-- that expires unless the next heartbeat refreshes it, in one atomic step.
-- ARGV: prefix, node id, public url, players, capacity, draining (0/1), game, ttl ms,
--       then per room: room id, players, capacity, locked (0/1: closed to matchmaking: locked by its game,
--       private or ending), n, and the n reservations its new players filled.
-- A fresh Redis (or one restarted empty) starts room ids at a random point of [1, 2^30], not at 1: rooms
-- still playing on nodes that have not re-registered yet hold low ids of the old sequence.
local function seedRoomIds(p)
  if redis.call('EXISTS', p .. 'room-seq') == 0 then
    local t = redis.call('TIME')
    redis.call('SET', p .. 'room-seq', tostring((tonumber(t[1]) * 1000003 + tonumber(t[2])) % 1073741824 + 1))
  end
end
local p = ARGV[1]
seedRoomIds(p)
local id = ARGV[2]
local ttl = tonumber(ARGV[8])
local nodeKey = p .. 'node:' .. id
redis.call('HSET', nodeKey, 'url', ARGV[3], 'players', ARGV[4], 'capacity', ARGV[5], 'draining', ARGV[6],
    'game', ARGV[7])
redis.call('PEXPIRE', nodeKey, ttl)
redis.call('SADD', p .. 'nodes', id)
local highest = 0
local rooms = 0
local i = 9
while i <= #ARGV do
  local rid = ARGV[i]
  local roomKey = p .. 'room:' .. rid
  redis.call('HSET', roomKey, 'node', id, 'players', ARGV[i + 1], 'capacity', ARGV[i + 2], 'locked', ARGV[i + 3],
      'game', ARGV[7])
  redis.call('PEXPIRE', roomKey, ttl)
  redis.call('SADD', p .. 'rooms', rid)
  -- Players now counted in 'players' no longer hold a reservation: so nobody counts twice.
  local seated = tonumber(ARGV[i + 4])
  for j = 1, seated do
    redis.call('ZREM', roomKey .. ':seats', ARGV[i + 4 + j])
  end
  highest = math.max(highest, tonumber(rid))
  rooms = rooms + 1
  i = i + 5 + seated
end
redis.call('HSET', nodeKey, 'rooms', tostring(rooms))
-- After Redis lost its data, new room ids must still count on from above every room in play.
if tonumber(redis.call('GET', p .. 'room-seq')) < highest then
  redis.call('SET', p .. 'room-seq', tostring(highest))
end
return 1
