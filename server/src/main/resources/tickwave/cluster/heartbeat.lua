-- A node's heartbeat (docs/scale-out.md): registers the node and every room it holds, each under a key
-- that expires unless the next heartbeat refreshes it, in one atomic step.
-- ARGV: prefix, node id, public url, players, capacity, draining (0/1), game, ttl ms,
--       then per room: room id, players, capacity.
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
    'game', ARGV[7], 'rooms', tostring((#ARGV - 8) / 3))
redis.call('PEXPIRE', nodeKey, ttl)
redis.call('SADD', p .. 'nodes', id)
local highest = 0
for i = 9, #ARGV, 3 do
  local roomKey = p .. 'room:' .. ARGV[i]
  redis.call('HSET', roomKey, 'node', id, 'players', ARGV[i + 1], 'capacity', ARGV[i + 2], 'locked', '0',
      'game', ARGV[7])
  redis.call('PEXPIRE', roomKey, ttl)
  redis.call('SADD', p .. 'rooms', ARGV[i])
  highest = math.max(highest, tonumber(ARGV[i]))
end
-- After Redis lost its data, new room ids must still count on from above every room in play.
if tonumber(redis.call('GET', p .. 'room-seq')) < highest then
  redis.call('SET', p .. 'room-seq', tostring(highest))
end
return 1
