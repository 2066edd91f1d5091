import ArgumentParser
import HookLogCore
import HookLogDelivery
import HookLogServer
import HookLogStore

/// `hooklog workspace create|list`: the admin's workspace management, offline (the server must not be running).
struct WorkspaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspace", abstract: "Create or list workspaces.",
        subcommands: [Create.self, List.self])

    /// `hooklog workspace create`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a workspace and print its id and first API key (shown once). Needs the data directory to itself.")

        @OptionGroup var data: DataOptions
        @Option(help: "The workspace's name.") var name: String
        @Option(help: "starter, growth, advanced or enterprise (webhooks need advanced or higher).") var plan: String
        @Option(help: "Where disable e-mails go.") var ownerEmail: String

        func run() async throws {
            guard let plan = Plan(rawValue: plan) else {
                throw ValidationError("--plan '\(plan)' is not one of \(Plan.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let key = WorkspaceKey.make()
            let records = try await data.withStore { store in
                try await store.execute(
                    .createWorkspaceWithKey(name: name, plan: plan, ownerEmail: ownerEmail, keyHash: key.hash, hint: key.hint),
                    at: WallClock().now)
            }
            guard case .apiKeyIssued(let issued) = records.last?.record.fact else { throw ExitCode.failure }
            print("workspace \(issued.workspaceID) created; API key (shown once): \(key.key)")
        }
    }

    /// `hooklog workspace list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the workspaces: id, plan, owner, webhooks, name.")

        @OptionGroup var data: DataOptions

        func run() async throws {
            let state = try data.reader().currentState(policy: .standard).state
            for workspace in state.workspaces.values.sorted(by: { $0.createdAt < $1.createdAt }) {
                print("\(workspace.id)  \(workspace.plan.rawValue)  \(workspace.ownerEmail)  \(workspace.webhookIDs.count) webhooks  \(workspace.name)")
            }
        }
    }
}

/// `hooklog key issue --workspace ID`: a new API key for a workspace, offline.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Issue API keys.", subcommands: [Issue.self])

    /// `hooklog key issue`.
    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a new API key for a workspace and print it (shown once). Needs the data directory to itself.")

        @OptionGroup var data: DataOptions
        @Option(help: "The workspace's id (ws_…).") var workspace: String

        func run() async throws {
            let key = WorkspaceKey.make()
            let records = try await data.withStore { store in
                try await store.execute(.issueApiKey(WorkspaceID(workspace), keyHash: key.hash, hint: key.hint), at: WallClock().now)
            }
            guard case .apiKeyIssued(let issued) = records.first?.record.fact else { throw ExitCode.failure }
            print("API key \(issued.keyID) for \(workspace) (shown once): \(key.key)")
        }
    }
}
