import ArgumentParser

/// `hooklog`: the webhook delivery service and the tools to inspect its log.
@main
struct HookLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hooklog",
        abstract: "Webhook delivery, event-sourced on an append-only LMDB log.",
        subcommands: [
            ServeCommand.self, LogCommand.self, HistoryCommand.self, AuditCommand.self, RebuildCommand.self, BackupCommand.self,
            MigrateCommand.self,
            SimulateCommand.self, WorkspaceCommand.self, KeyCommand.self,
        ]
    )

    @OptionGroup var data: DataOptions
}
