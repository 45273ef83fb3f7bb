import Logging

/// How `Kube9App.run` presents itself.
public struct AppOptions: Sendable {
    /// `--context`: shown as the current context.
    public var initialContext: String?
    /// `--demo`: marks DEMO in the title.
    public var isDemo: Bool
    /// What the title calls the kubeconfig (nil: `--kubeconfig`, else KUBECONFIG, else ~/.kube/config).
    public var kubeconfigLabel: String?
    /// `--no-heal`: every forward starts with healing off.
    public var noHeal: Bool
    /// Mouse reports (click, wheel); off with `--no-mouse` or `NO_MOUSE`, so the terminal's own selection works.
    public var mouse: Bool
    /// Where kube9 records what it did. Never the terminal the UI owns.
    public var logger: Logger

    public init(
        initialContext: String? = nil, isDemo: Bool = false, kubeconfigLabel: String? = nil, noHeal: Bool = false, mouse: Bool = true,
        logger: Logger = Logger(label: "kube9", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.initialContext = initialContext
        self.isDemo = isDemo
        self.kubeconfigLabel = kubeconfigLabel
        self.noHeal = noHeal
        self.mouse = mouse
        self.logger = logger
    }
}
