//! The Lua scripts the store runs. Each limit decision is one script, so it is atomic on the
//! server: two replicas deciding at the same instant cannot both take the last token or slot.
//! Every script reads the store's own clock (`TIME`), so replicas with skewed clocks still
//! agree, and every key expires once its state would be the same as no key at all.

use redis::Script;

/// Token buckets as the in-process `rate_limit::Bucket` keeps them: a hash of `tokens` and the
/// time `at` (ms) they were counted, refilled evenly at `cap` per `period` ms. A missing key is a
/// full bucket, and a bucket not touched for `period` is full again, so it expires then.
const BUCKETS: &str = r"
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function level(key, cap, period, now)
  local state = redis.call('HMGET', key, 'tokens', 'at')
  local tokens = tonumber(state[1])
  local at = tonumber(state[2])
  if tokens == nil or at == nil then return cap end
  if now > at then tokens = math.min(cap, tokens + (now - at) * cap / period) end
  return tokens
end
local function save(key, tokens, now, period)
  redis.call('HSET', key, 'tokens', tostring(tokens), 'at', tostring(now))
  redis.call('PEXPIRE', key, period)
end
local function wait_ms(tokens, cap, period)
  return math.max(1, math.ceil((1 - tokens) * period / cap))
end
";

/// KEYS: bucket. ARGV: cap, period ms. Returns 0 when a token was taken, else the wait in ms.
const TAKE: &str = r"
local cap, period = tonumber(ARGV[1]), tonumber(ARGV[2])
local now = now_ms()
local tokens = level(KEYS[1], cap, period, now)
if tokens >= 1 then
  save(KEYS[1], tokens - 1, now, period)
  return 0
end
return wait_ms(tokens, cap, period)
";

/// KEYS: client bucket. ARGV: cap, period ms. Returns 0 when the client has a token left,
/// else the wait in ms.
const BLOCKED: &str = r"
local cap, period = tonumber(ARGV[1]), tonumber(ARGV[2])
local tokens = level(KEYS[1], cap, period, now_ms())
if tokens >= 1 then return 0 end
return wait_ms(tokens, cap, period)
";

/// The failed-login rule of `failed_logins::FailedLogins::begin`, in one step. KEYS: client
/// bucket, shared bucket. ARGV: client cap, shared cap, period ms. Returns {1, took_shared} for
/// an attempt that may be verified, {0, wait ms} for one that may not.
const BEGIN: &str = r"
local ccap, tcap, period = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now = now_ms()
local client = level(KEYS[1], ccap, period, now)
if client < 1 then return {0, wait_ms(client, ccap, period)} end
local clean = client >= ccap
local total = level(KEYS[2], tcap, period, now)
local took = 0
if total >= 1 then
  save(KEYS[2], total - 1, now, period)
  took = 1
elseif not clean then
  return {0, wait_ms(total, tcap, period)}
end
save(KEYS[1], client - 1, now, period)
return {1, took}
";

/// Gives an attempt's places back. KEYS: client bucket, shared bucket. ARGV: client cap,
/// shared cap, period ms, 1 when the shared place was taken.
const GIVE_BACK: &str = r"
local ccap, tcap, period = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now = now_ms()
save(KEYS[1], math.min(ccap, level(KEYS[1], ccap, period, now) + 1), now, period)
if ARGV[4] == '1' then
  save(KEYS[2], math.min(tcap, level(KEYS[2], tcap, period, now) + 1), now, period)
end
return 0
";

/// A concurrency slot as a lease: a sorted set of lease ids scored by their expiry, so a
/// replica that dies holding slots frees them when the leases run out. KEYS: the set. ARGV:
/// the bound, lease ms, lease id. Returns 1 when the slot is leased, 0 when all are taken.
const LEASE: &str = r"
local now = now_ms()
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
";

/// The scripts, loaded once per process (EVALSHA, with EVAL when the server has not seen one).
pub(crate) struct Scripts {
    /// See [`TAKE`].
    pub take: Script,
    /// See [`BLOCKED`].
    pub blocked: Script,
    /// See [`BEGIN`].
    pub begin: Script,
    /// See [`GIVE_BACK`].
    pub give_back: Script,
    /// See [`LEASE`].
    pub lease: Script,
}

impl Scripts {
    pub(crate) fn new() -> Self {
        let with_buckets = |body: &str| Script::new(&format!("{BUCKETS}{body}"));
        Self {
            take: with_buckets(TAKE),
            blocked: with_buckets(BLOCKED),
            begin: with_buckets(BEGIN),
            give_back: with_buckets(GIVE_BACK),
            lease: with_buckets(LEASE),
        }
    }
}
