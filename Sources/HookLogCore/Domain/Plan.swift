/// A workspace's subscription plan, in ascending order. Webhooks need ``advanced`` or higher.
public enum Plan: String, CaseIterable, Comparable, Codable, Sendable {
    case starter
    case growth
    case advanced
    case enterprise

    /// Whether a workspace on this plan may have webhooks (docs/rules.md §1: advanced or higher).
    public var allowsWebhooks: Bool { self >= .advanced }

    public static func < (lhs: Plan, rhs: Plan) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
