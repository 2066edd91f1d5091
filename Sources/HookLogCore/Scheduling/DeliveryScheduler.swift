import DequeModule
import HeapModule

/// Decides which job runs next (docs/rules.md §2.2): "At most one delivery per webhook is in flight; the head blocks
/// the rest of that queue while it is retried. Queues never block each other: the global concurrency cap is shared
/// round-robin first across workspaces that have work, then across that workspace's webhooks."
///
/// A plain value: the engine tells it when each job is due and in which workspace, and when one finishes, and asks
/// for the next one. Workspaces with due jobs wait in one round-robin line, and each workspace's due jobs in a line
/// of their own. A free slot goes to the first workspace in line that holds fewer slots than its ``FairShare``; when
/// none does, to the first in line, but only while more slots are free than the share's reserve. The workspace starts
/// its first due job and goes to the back of the line if it has more; a job that finishes and is due again goes to
/// the back of its workspace's line.
public struct DeliveryScheduler: Sendable {
    /// How the cap is divided between workspaces.
    public let share: FairShare
    /// Jobs running now, each with the place of the workspace whose share it holds.
    private var running: [DeliveryJob: Int] = [:]
    /// The place in ``works`` of each workspace with due jobs or jobs in flight.
    private var places: [WorkspaceID: Int] = [:]
    /// The work of each workspace at its place: the line is read at every start, and an array is read there
    /// without hashing a workspace id for each workspace in line.
    private var works: [WorkspaceWork] = []
    /// Places of workspaces gone idle, to be given again.
    private var freePlaces: [Int] = []
    /// The places of the workspaces with due jobs, in round-robin order.
    private var line: Deque<Int> = []
    /// The place of the workspace each due job waits in.
    private var readyIn: [DeliveryJob: Int] = [:]
    /// When each waiting job is due, and its workspace; the heap may hold stale entries, skipped when they no longer
    /// match.
    private var dueAt: [DeliveryJob: Waiting] = [:]
    private var waiting = Heap<Due>()

    /// A scheduler running at most `concurrency` jobs at once.
    public init(concurrency: Int) {
        share = FairShare(concurrency: concurrency)
    }

    /// The most jobs in flight at once.
    public var concurrency: Int { share.concurrency }

    /// Says when `job`, which works for `workspace`, is next due (nil: it has nothing to do). A job in flight is left
    /// alone until it finishes.
    public mutating func schedule(_ job: DeliveryJob, of workspace: WorkspaceID, at time: Timestamp?, now: Timestamp) {
        guard running[job] == nil else { return }
        dueAt[job] = nil
        guard let time else { return removeReady(job) }
        if time <= now {
            makeReady(job, in: workspace)
        } else {
            removeReady(job)
            dueAt[job] = Waiting(time: time, workspace: workspace)
            waiting.insert(Due(time: time, job: job))
        }
    }

    /// Makes `job` due now, ahead of `workspace`'s other due jobs (someone waits for its answer); it still waits
    /// for a slot within the workspace's share.
    public mutating func scheduleFirst(_ job: DeliveryJob, of workspace: WorkspaceID) {
        guard running[job] == nil else { return }
        dueAt[job] = nil
        removeReady(job)
        makeReady(job, in: workspace, first: true)
    }

    /// Takes `job` out of the plan, unless it is in flight.
    public mutating func cancel(_ job: DeliveryJob) {
        guard running[job] == nil else { return }
        dueAt[job] = nil
        removeReady(job)
    }

    /// Marks `job` finished, frees its slot, and says when it is next due.
    public mutating func finish(_ job: DeliveryJob, next time: Timestamp?, now: Timestamp) {
        guard let place = running.removeValue(forKey: job) else { return }
        works[place].held -= 1
        let workspace = works[place].workspace
        forgetIfIdle(place)
        schedule(job, of: workspace, at: time, now: now)
    }

    /// Moves the jobs whose time has come into their workspaces' lines, earliest first.
    public mutating func advance(to now: Timestamp) {
        while let earliest = waiting.min, earliest.time <= now {
            _ = waiting.removeMin()
            guard let due = dueAt[earliest.job], due.time == earliest.time else { continue }
            dueAt[earliest.job] = nil
            makeReady(earliest.job, in: due.workspace)
        }
    }

    /// The next job to start, if one is due and the cap and the shares allow; it counts as in flight until
    /// ``finish(_:next:now:)``.
    public mutating func next() -> DeliveryJob? {
        guard running.count < concurrency, let index = nextInLine() else { return nil }
        let place = line.remove(at: index)
        guard let job = works[place].ready.popFirst() else { preconditionFailure("a workspace in line has due jobs") }
        works[place].held += 1
        if !works[place].ready.isEmpty { line.append(place) }
        readyIn[job] = nil
        running[job] = place
        return job
    }

    /// Where in line the workspace to serve next stands: the first below its share, else the first of all while
    /// more slots are free than the reserve.
    private func nextInLine() -> Int? {
        let slots = share.slots(forEachOf: places.count)
        if let belowShare = line.firstIndex(where: { works[$0].held < slots }) { return belowShare }
        return concurrency - running.count > share.reserve && !line.isEmpty ? line.startIndex : nil
    }

    /// When the earliest waiting job is due, if any.
    public mutating func nextWakeUp() -> Timestamp? {
        while let earliest = waiting.min, dueAt[earliest.job]?.time != earliest.time { _ = waiting.removeMin() }
        return waiting.min?.time
    }

    /// Whether `job` is running now.
    public func isInFlight(_ job: DeliveryJob) -> Bool { running[job] != nil }

    /// Jobs due now and waiting for a free slot.
    public var readyCount: Int { readyIn.count }

    /// How the cap is used now.
    public var load: DeliveryLoad {
        var load = DeliveryLoad(concurrency: concurrency)
        load.slotsInUse = running.count
        load.jobsWaiting = readyIn.count
        load.workspacesWithWork = places.count
        load.slotsPerWorkspace = share.slots(forEachOf: places.count)
        return load
    }

    private mutating func makeReady(_ job: DeliveryJob, in workspace: WorkspaceID, first: Bool = false) {
        guard readyIn[job] == nil else { return }
        let place = place(of: workspace)
        readyIn[job] = place
        if works[place].add(job, first: first) == 1 { line.append(place) }
    }

    private mutating func removeReady(_ job: DeliveryJob) {
        guard let place = readyIn.removeValue(forKey: job) else { return }
        works[place].ready.removeAll { $0 == job }
        if works[place].ready.isEmpty { line.removeAll { $0 == place } }
        forgetIfIdle(place)
    }

    /// The place of `workspace`'s work, given now if it has none.
    private mutating func place(of workspace: WorkspaceID) -> Int {
        if let place = places[workspace] { return place }
        let work = WorkspaceWork(workspace: workspace)
        let place: Int
        if let free = freePlaces.popLast() {
            works[free] = work
            place = free
        } else {
            works.append(work)
            place = works.count - 1
        }
        places[workspace] = place
        return place
    }

    /// Gives up the place of a workspace that has neither due jobs nor jobs in flight: it no longer counts among
    /// those with work.
    private mutating func forgetIfIdle(_ place: Int) {
        guard works[place].ready.isEmpty, works[place].held == 0 else { return }
        places[works[place].workspace] = nil
        works[place].ready = []
        freePlaces.append(place)
    }
}

/// One workspace's part of the cap: its due jobs, in round-robin order, and the slots its jobs in flight hold.
///
/// Changed in place where it is kept (`works[place]...`): a copy would copy its line of due jobs.
private struct WorkspaceWork {
    let workspace: WorkspaceID
    var ready: Deque<DeliveryJob> = []
    var held = 0

    /// Adds a due job at the back of the line, or at the front when `first`; returns how many are due now.
    mutating func add(_ job: DeliveryJob, first: Bool) -> Int {
        if first { ready.prepend(job) } else { ready.append(job) }
        return ready.count
    }
}

/// When a job that is not due yet will be, and the workspace whose line it joins then.
private struct Waiting {
    let time: Timestamp
    let workspace: WorkspaceID
}

private struct Due: Comparable {
    let time: Timestamp
    let job: DeliveryJob

    static func < (lhs: Due, rhs: Due) -> Bool { lhs.time < rhs.time }
    static func == (lhs: Due, rhs: Due) -> Bool { lhs.time == rhs.time && lhs.job == rhs.job }
}
