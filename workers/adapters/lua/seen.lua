-- First use of event ids (the twin of workers.core.dedup.InMemorySeen), for the keys of one hash tag.
-- KEYS     seen-id keys, in batch order (an id repeated in the batch appears again)
-- ARGV[1]  TTL in seconds; ARGV[1 + i] the record (origin) that uses KEYS[i]
-- Returns per key: the origin stored before this use (SET NX GET: the key is written only if absent),
--          or false (a nil reply) when this is the first use.
local ttl = ARGV[1]
local out = {}
for i = 1, #KEYS do
  out[i] = redis.call('SET', KEYS[i], ARGV[i + 1], 'NX', 'GET', 'EX', ttl)
end
return out
