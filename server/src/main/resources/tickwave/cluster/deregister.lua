-- A node leaving cleanly: its node key and the room keys it owns go at once instead of expiring.
-- ARGV: prefix, node id.
local p = ARGV[1]
local id = ARGV[2]
redis.call('DEL', p .. 'node:' .. id)
redis.call('SREM', p .. 'nodes', id)
for _, rid in ipairs(redis.call('SMEMBERS', p .. 'rooms')) do
  if redis.call('HGET', p .. 'room:' .. rid, 'node') == id then
    redis.call('DEL', p .. 'room:' .. rid, p .. 'room:' .. rid .. ':seats')
    redis.call('SREM', p .. 'rooms', rid)
  end
end
return 1
