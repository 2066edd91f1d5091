/// Where a new value goes in a database of sorted duplicates
/// (``LMDBTransaction/putDuplicate(_:forKey:in:placement:)``), so that LMDB fills its pages instead of splitting
/// them in half: a value known to come last is appended.
public enum DuplicatePlacement: Sendable {
    /// Anywhere: LMDB searches for its place.
    case sorted
    /// Under a new key, after every key of the database (`MDB_APPEND`).
    case afterLastKey
    /// After every value of its key (`MDB_APPENDDUP`).
    case afterLastValue
}
