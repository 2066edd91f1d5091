@testable import HookLogStore
import Testing

@Suite("The writer's buffered system randomness")
struct BufferedSystemRandomTests {
    @Test("words drawn across several refills of the buffer are all different, and two generators draw different ones")
    func wordsAreFreshAcrossRefills() {
        var first = BufferedSystemRandom()
        var second = BufferedSystemRandom()
        let drawn = (0..<200).map { _ in first.next() }
        let other = (0..<200).map { _ in second.next() }
        #expect(Set(drawn).count == 200, "no word repeats, within a buffer or after a refill")
        #expect(Set(drawn).isDisjoint(with: other))
    }
}
