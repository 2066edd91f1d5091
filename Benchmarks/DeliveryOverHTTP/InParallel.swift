/// `body` applied to each element of `elements`, at most `limit` at once; the results in the elements' order.
func inParallel<Element: Sendable, Result: Sendable>(
    _ elements: some Collection<Element>, limit: Int, _ body: @escaping @Sendable (Element) async throws -> Result
) async throws -> [Result] {
    try await withThrowingTaskGroup(of: (Int, Result).self) { group in
        var results: [Result?] = Array(repeating: nil, count: elements.count)
        for (position, element) in elements.enumerated() {
            if position >= limit, case let (done, result)? = try await group.next() { results[done] = result }
            group.addTask { (position, try await body(element)) }
        }
        for try await (done, result) in group { results[done] = result }
        return results.map { $0! }
    }
}
