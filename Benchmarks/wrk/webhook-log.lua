-- wrk script: GET /v1/webhooks/{id}/deliveries (the webhook's event log, newest first, 50 a page), as a workspace.
-- Usage: HOOKLOG_KEY=hk_… HOOKLOG_WEBHOOK=wh_… wrk -t2 -c8 -d20s --latency -s Benchmarks/wrk/webhook-log.lua http://127.0.0.1:8080
wrk.method = "GET"
wrk.path = "/v1/webhooks/" .. os.getenv("HOOKLOG_WEBHOOK") .. "/deliveries?limit=50"
wrk.headers["authorization"] = "Bearer " .. os.getenv("HOOKLOG_KEY")

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
    wrk.thread:stop()
  end
end
