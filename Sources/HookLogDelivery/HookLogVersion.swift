/// The version of HookLog, as the `user-agent` header of every webhook request carries it.
public enum HookLogVersion {
    /// This build's version.
    public static let current = "0.1.0"
}
