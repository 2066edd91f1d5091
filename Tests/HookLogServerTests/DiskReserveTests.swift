import HTTPTypes
import HookLogServer
import HookLogTestSupport
import HummingbirdTesting
import NIOCore
import Testing

@Suite("The disk reserve over HTTP")
struct DiskReserveTests {
    @Test("below the reserve: ingest is 507 insufficient_storage, other writes and reads go on, /healthz is 503 disk_low, and the metrics say so")
    func belowTheReserve() async throws {
        // No disk has an exbibyte free: this reserve is always breached.
        try await withRouter(reserve: ByteSize(bytes: 1 << 60)) { router in
            let (_, key) = try await router.workspace()
            let refused = try await router.call(.post, "/v1/events", key: key, body: #"{"type": "contact.created", "data": {}}"#)
            #expect(refused.status.code == 507)
            let error = JSON(String(buffer: refused.body))["error"]
            #expect(error["code"].string == "insufficient_storage")
            #expect(error["message"].string?.contains("1073741824 GiB reserve (--min-free-disk)") == true, "\(error)")
            let webhook = try await router.call(
                .post, "/v1/webhooks", key: key, body: #"{"url": "http://127.0.0.1:9/hook", "events": ["contact.created"]}"#)
            #expect(webhook.status.code == 201, "writes other than events go on: \(String(buffer: webhook.body))")
            #expect(try await router.call(.get, "/v1/log", key: key).status.code == 200)

            let health = try await router.call(.get, "/healthz")
            #expect(health.status.code == 503)
            #expect(String(buffer: health.body) == #"{"reason":"disk_low","status":"unavailable"}"#)
            let metrics = String(buffer: try await router.call(.get, "/metrics").body)
            #expect(metrics.contains("\nhooklog_disk_low 1.0\n"), "\(metrics)")
            #expect(metrics.contains("\nhooklog_disk_reserve_bytes 1.152921504606847e+18\n"))
            #expect(metrics.contains("\nhooklog_disk_free_bytes "))
            #expect(!metrics.contains("\nhooklog_data_file_bytes 0.0\n"), "data.mdb takes room")
        }
    }

    @Test("with the reserve off, ingest is accepted and /healthz is 200, while the disk is still measured")
    func reserveOff() async throws {
        try await withRouter(reserve: ByteSize(bytes: 0)) { router in
            let (_, key) = try await router.workspace()
            let accepted = try await router.call(.post, "/v1/events", key: key, body: #"{"type": "contact.created", "data": {}}"#)
            #expect(accepted.status.code == 202)
            #expect(try await router.call(.get, "/healthz").status.code == 200)
            let metrics = String(buffer: try await router.call(.get, "/metrics").body)
            #expect(metrics.contains("\nhooklog_disk_low 0.0\n"), "\(metrics)")
            #expect(metrics.contains("\nhooklog_disk_reserve_bytes 0.0\n"))
        }
    }

    @Test("a server given no data directory to watch shows no disk metrics")
    func noDirectoryNoDiskMetrics() async throws {
        try await withRouter { router in
            let metrics = String(buffer: try await router.call(.get, "/metrics").body)
            #expect(!metrics.contains("hooklog_disk_"))
            #expect(!metrics.contains("hooklog_data_file_bytes"))
        }
    }
}
