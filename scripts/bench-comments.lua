-- wrk script for scripts/bench-comments: posts comments through the real form, each from its
-- own client address (X-Forwarded-For through a trusted proxy) and email, with a pre-aged
-- per-view token from TOKENS_FILE, to the article ARTICLE_ID.
local tokens = {}
for line in io.lines(os.getenv("TOKENS_FILE")) do
  tokens[#tokens + 1] = line
end
local article = os.getenv("ARTICLE_ID")
-- Each run numbers its comments apart: a repeated form would be recognised as a double submit.
local run = tonumber(os.getenv("RUN") or "0")
local next_thread = 0
local counter = 0

function setup(thread)
  thread:set("thread_number", next_thread)
  next_thread = next_thread + 1
end

function request()
  counter = counter + 1
  local n = run * 100000000 + thread_number * 1000000 + counter
  local token = tokens[(n % #tokens) + 1]
  local address = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256,
    math.floor(n / 256) % 256, n % 256)
  local body = "comment_post_ID=" .. article ..
    "&comment=A+benchmark+comment%2C+number+" .. n ..
    "&author=Reader+" .. n .. "&email=reader" .. n .. "%40bench.example&url=&form_token=" .. token
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Forwarded-For"] = address,
  }
  return wrk.format("POST", "/comments/", headers, body)
end
