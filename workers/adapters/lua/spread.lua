-- Distinct accounts per campaign band or contact handle by event time (the twin of
-- workers.core.memory_store.spread_step).
-- KEYS     one or more campaign or handle keys, all with the same hash tag: each a sorted set whose
--          member = account digest, score = the latest event time of that account (ms)
-- ARGV[1..3]  window (ms), lateness (ms), TTL (ms)
-- ARGV[4..]   for each key in KEYS order, one string: the batch's events on that key, in order, as
--             29-character records: account digest (16) and event time in ms (13 digits, zero-padded)
-- Returns per event, keys in order: distinct accounts with an event in (t - window, t], its own included.
local w, late, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {}
for k = 1, #KEYS do
  local key, records = KEYS[k], ARGV[3 + k]
  for i = 1, #records, 29 do
    local m, t = string.sub(records, i, i + 15), tonumber(string.sub(records, i + 16, i + 28))
    local ts = string.format('%d', t)
    local changed = redis.call('ZADD', key, 'GT', 'CH', ts, m)  -- 1: added, or moved up to t
    local c = 1  -- the only account of the key (a text seen once): itself, nothing to drop
    if redis.call('ZCARD', key) > 1 then
      redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%d', t - w - late))
      c = redis.call('ZCOUNT', key, string.format('(%d', t - w), ts)
      -- not changed: its latest time is >= t; later than t, it is not in the window but posts at t
      if changed == 0 and tonumber(redis.call('ZSCORE', key, m)) > t then c = c + 1 end
    end
    out[#out + 1] = c
  end
  redis.call('PEXPIRE', key, ttl)
end
return out
