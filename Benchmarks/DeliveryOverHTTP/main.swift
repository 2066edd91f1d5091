import Foundation

/// Delivery throughput, latency and isolation over HTTP, with a real `hooklog serve`; see ``DeliveryBenchmark``.
///
///     DeliveryOverHTTP --hooklog .build/release/hooklog --results DIR --wrk-script Benchmarks/wrk/webhook-post.lua
do {
    try await DeliveryBenchmark(options: Options(Array(CommandLine.arguments.dropFirst()))).run()
} catch {
    DeliveryBenchmark.say("\(error)")
    exit(1)
}
