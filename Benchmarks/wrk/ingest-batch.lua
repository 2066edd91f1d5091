-- wrk script: POST /v1/events with batches of 100 events (about 100 bytes of data each), as a workspace.
-- Usage: HOOKLOG_KEY=hk_… wrk -t2 -c64 -d20s -s Benchmarks/wrk/ingest-batch.lua http://127.0.0.1:8080
-- Events per second = requests per second × 100 (each 202 means the whole batch is durable).
local key = os.getenv("HOOKLOG_KEY")
local events = {}
for i = 1, 100 do
  events[i] = '{"type": "contact.created", "data": {"contact": {"id": ' .. i .. ', "name": "Ada Lovelace", "email": "ada@example.com"}}}'
end
wrk.method = "POST"
wrk.path = "/v1/events"
wrk.body = '{"events": [' .. table.concat(events, ",") .. ']}'
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "Bearer " .. key

function response(status, headers, body)
  if status ~= 202 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
    wrk.thread:stop()
  end
end
