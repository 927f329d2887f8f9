-- Per-account sliding-window counters by event time (the twin of workers.core.memory_store.account_step).
-- KEYS     one or more account keys, all with the same hash tag: each a sorted set whose
--          member = event digest(16) surface(1) conversation digest(16) content digest(16),
--          score = event time in milliseconds
-- ARGV[1..9]  burst, hourly, group, direct, repeat windows (ms), keep (ms: longest window + lateness),
--             max events kept, scan limit, TTL (ms)
-- ARGV[10..]  for each key in KEYS order, one string: that account's events of the batch, in order, as
--             62-character records: member (49) and event time in ms (13 digits, zero-padded)
-- Returns 5 integers per event, keys in order: messages (burst window), messages (hourly window),
-- distinct groups, distinct direct conversations, repeats of the same content.
local ws, wl = tonumber(ARGV[1]), tonumber(ARGV[2])
local wg, wd, wr = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local keep, maxn, scan, ttl = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local witer = math.max(wg, wd, wr)
local NONE = '0000000000000000'
local out = {}
for k = 1, #KEYS do
  local key, records = KEYS[k], ARGV[9 + k]
  for i = 1, #records, 62 do
    local m, t = string.sub(records, i, i + 48), tonumber(string.sub(records, i + 49, i + 61))
    local ts = string.format('%d', t)
    redis.call('ZADD', key, ts, m)
    local surface, content = string.sub(m, 17, 17), string.sub(m, 34, 49)
    local short, hourly, ng, nd, nr = 1, 1, 0, 0, 0
    if redis.call('ZCARD', key) == 1 then
      -- the account's only event in the key: every count is this event (nothing to drop or scan)
      local conv = string.sub(m, 18, 33) ~= NONE
      if surface == 'g' and conv then ng = 1 end
      if surface == 'd' and conv then nd = 1 end
      if content ~= NONE then nr = 1 end
    else
      redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%d', t - keep))
      local size = redis.call('ZCARD', key)
      if size > maxn then redis.call('ZREMRANGEBYRANK', key, 0, size - maxn - 1) end
      short = redis.call('ZCOUNT', key, string.format('(%d', t - ws), ts)
      hourly = redis.call('ZCOUNT', key, string.format('(%d', t - wl), ts)
      if surface == 'g' or surface == 'd' or content ~= NONE then
        local rows = redis.call('ZRANGE', key, ts, string.format('(%d', t - witer), 'BYSCORE', 'REV',
                                'LIMIT', 0, scan, 'WITHSCORES')
        local groups, convs = {}, {}
        for j = 1, #rows, 2 do
          local r, s = rows[j], tonumber(rows[j + 1])
          local rs, rc = string.sub(r, 17, 17), string.sub(r, 18, 33)
          if surface == 'g' and rs == 'g' and s > t - wg and rc ~= NONE and not groups[rc] then
            groups[rc] = true
            ng = ng + 1
          end
          if surface == 'd' and rs == 'd' and s > t - wd and rc ~= NONE and not convs[rc] then
            convs[rc] = true
            nd = nd + 1
          end
          if content ~= NONE and string.sub(r, 34, 49) == content and s > t - wr then nr = nr + 1 end
        end
      end
    end
    out[#out + 1] = short
    out[#out + 1] = hourly
    out[#out + 1] = ng
    out[#out + 1] = nd
    out[#out + 1] = nr
  end
  redis.call('PEXPIRE', key, ttl)
end
return out
