/// What each fact's struct declares about itself, in its own file under `Records/Facts/`: its tag and name in the
/// log, its binary coding, its JSON fields and the query indexes its record belongs to.
///
/// A new fact is a new conforming struct, a new case of ``Fact`` and ``FactTag``, and what its folds make of it.
public protocol FactPayload: BinaryCodable, Hashable, Sendable {
    /// The tag that introduces this fact in the binary encoding; fixed forever.
    static var tag: FactTag { get }
    /// The record type's name as docs/rules.md §3 spells it and the log shows it (`AttemptFailed`).
    static var name: String { get }
    /// This payload wrapped in its case of ``Fact``.
    var fact: Fact { get }
    /// The fact's fields by name, in a fixed order, as the log's JSON and text views show them. Secrets and key
    /// hashes are never shown.
    var fields: [(String, JSONValue)] { get }
    /// The query indexes the fact's record belongs to, given the state just before it is folded in (which tells,
    /// for instance, which event an attempt's delivery carries).
    func indexKeys(in state: HookLogState) -> IndexKeys
}
