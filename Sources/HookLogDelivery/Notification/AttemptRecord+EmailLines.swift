import HookLogCore

extension AttemptRecord {
    /// Response snippets in e-mails are cut to this many characters.
    static let emailSnippetLength = 200

    /// The attempt's lines in an e-mail's list of errors: when, which attempt, what went wrong, and what the endpoint
    /// said (control characters blanked, cut to ``emailSnippetLength``), each indented by `indent`.
    func emailLines(indent: String = "  ") -> [String] {
        let failure = statusCode.map { "HTTP \($0)" } ?? error.map(\.rawValue) ?? "failed"
        var lines = ["\(indent)\(startedAt.rfc3339)  attempt \(number)  \(failure)  (\(durationMilliseconds) ms)"]
        let snippet = String(responseSnippet.unicodeScalars.map {
            $0.properties.generalCategory == .control ? " " : Character($0)
        })
        if !snippet.allSatisfy(\.isWhitespace) {
            let cut = snippet.count > Self.emailSnippetLength ? String(snippet.prefix(Self.emailSnippetLength)) + "…" : snippet
            lines.append("\(indent)    response: \(cut)")
        }
        return lines
    }
}
