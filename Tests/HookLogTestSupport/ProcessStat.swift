import Foundation

/// What Linux says of a running process in `/proc/PID/stat`: "PID (NAME) STATE PPID …", whose NAME may hold spaces.
public struct ProcessStat: Sendable {
    /// The fields after NAME's closing parenthesis: `fields[0]` is the state, `fields[1]` the parent's pid,
    /// `fields[11]` and `fields[12]` the user and system CPU time in clock ticks.
    public let fields: [Substring]

    /// The process `pid`'s, or nil when it is gone.
    public init?(of pid: Int32) {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        fields = stat[stat.index(after: close)...].split(separator: " ")
    }

    /// The parent's pid.
    public var parent: Int32? {
        fields.count > 1 ? Int32(fields[1]) : nil
    }

    /// The CPU time used so far, user and system, in seconds.
    public var cpuSeconds: Double? {
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
