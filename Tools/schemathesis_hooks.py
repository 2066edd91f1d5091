"""Schemathesis hooks for Tools/schemathesis-run (loaded through SCHEMATHESIS_HOOKS).

GET /v1/log/stream follows the log until the client goes: schemathesis reads a whole response, so every case it
sends there asks for `follow=false`, which ends the stream once it has caught up. Every other parameter is generated
as usual, and the response checks apply to the stream as to any operation.
"""
import schemathesis


@schemathesis.hook
def map_query(ctx, query):
    if ctx.operation.path == "/v1/log/stream":
        query = dict(query or {})
        query["follow"] = "false"
    return query
