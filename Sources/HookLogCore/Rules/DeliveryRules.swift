/// The delivery rules of docs/rules.md §2, each one function of its inputs.
public enum DeliveryRules {
    /// §2.1: "Success is a 2xx response, headers and body, within 5 s of the attempt's start (connect included).
    /// Everything else is a failed attempt."
    public static func isSuccess(statusCode: Int) -> Bool {
        (200...299).contains(statusCode)
    }

    /// §2.5: an endpoint that answers `410 Gone` says it is gone for good (the Standard Webhooks recommendation), so
    /// its webhook is disabled at once rather than retried. Every other failure, 429 included, is retried.
    public static func isGone(statusCode: Int) -> Bool {
        statusCode == 410
    }

    /// The reason a `410 Gone` disable records.
    public static let goneReason = "the endpoint answered 410 Gone"

    /// §2.3: "Retries 30 s, 60 s and 90 s after each failure: attempts at about t = 0, 30, 90 and 180 s. When the
    /// fourth attempt fails (3 minutes), the delivery is dropped."
    ///
    /// The time of the retry after attempt `number` failed at `failedAt`, or nil when that was the last attempt.
    public static func retryTime(afterFailedAttempt number: Int, at failedAt: Timestamp, policy: DeliveryPolicy) -> Timestamp? {
        guard number >= 1, number <= policy.retryDelays.count else { return nil }
        return failedAt.adding(policy.retryDelays[number - 1])
    }

    /// §2.4: "Every failed attempt counts one error for its workspace. When the errors of the trailing 30 minutes
    /// exceed 30 (the 31st), the webhook whose attempt failed is disabled. Other webhooks go on; each further failure
    /// while the window is over the limit disables its webhook too."
    ///
    /// Whether a workspace with `errorsInWindow` failures (the new one included) is over its budget.
    public static func exceedsErrorBudget(errorsInWindow: Int, policy: DeliveryPolicy) -> Bool {
        errorsInWindow > policy.errorLimit
    }

    /// §2.4, the early warning: "when a workspace's error window reaches `--warn-at` (20 of the limit 30), the owner
    /// is warned by e-mail, once per crossing".
    ///
    /// Whether a workspace with `errorsInWindow` failures (the new one included) is at or above the warning threshold
    /// and not yet over its budget.
    public static func reachesWarning(errorsInWindow: Int, policy: DeliveryPolicy) -> Bool {
        guard let warnAt = policy.warningThreshold else { return false }
        return errorsInWindow >= warnAt && !exceedsErrorBudget(errorsInWindow: errorsInWindow, policy: policy)
    }

    /// §2.5: the disable e-mail "is itself recorded and retried until the mail server accepts it".
    ///
    /// After the `attempt`-th failure at `failedAt`: 30 s, doubling per failure, at most an hour.
    public static func notificationRetryTime(afterFailedAttempt attempt: Int, at failedAt: Timestamp) -> Timestamp {
        let seconds = min(30 << min(max(attempt - 1, 0), 10), 3600)
        return failedAt.adding(.seconds(seconds))
    }
}
