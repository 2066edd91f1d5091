-- wrk script: POST one webhook as HookLog sends it (Standard Webhooks headers, a message.received body) to a
-- receiver that answers at once; the HTTP limit the delivery-throughput figure is judged against. No response()
-- callback: it would cost wrk a Lua call per answer; DeliveryOverHTTP reads wrk's non-2xx count instead.
-- Usage: wrk -t2 -c256 -d10s -s Benchmarks/wrk/webhook-post.lua http://127.0.0.1:PORT/hooks/0
wrk.method = "POST"
wrk.body = '{"id": "evt_2Vh8wQkz7yQx3mLr9TbN1c", "type": "message.received", "workspace_id": "ws_8KfZr2LqP0sVn4Yd",'
  .. ' "occurred_at": "2026-11-26T01:00:00.000Z",'
  .. ' "data": {"conversation": {"id": "c_1"}, "message": {"text": "Hello from the benchmark"}}}'
wrk.headers["content-type"] = "application/json"
wrk.headers["user-agent"] = "HookLog/1.0"
wrk.headers["webhook-id"] = "evt_2Vh8wQkz7yQx3mLr9TbN1c"
wrk.headers["webhook-timestamp"] = "1795654800"
wrk.headers["webhook-signature"] = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="

