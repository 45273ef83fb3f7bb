/// What a credential plugin prints for the person while kubectl waits for it: a login URL, a device code
/// (`To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code …`,
/// `Please visit the following URL in your browser: http://localhost:8000`). kubectl relays the plugin's stderr
/// as it comes; kube9 shows such a line at once and waits longer for the call.
public enum CredentialPrompt {
    /// How long a call whose plugin asks the person to log in may take (instead of the usual 10 s deadline).
    public static let loginWait: Duration = .seconds(120)

    /// The line asks the person to do something: it has a URL or says browser, code, log in … and is not one of
    /// kubectl's own error lines (which name the server's URL).
    public static func isPrompt(_ line: String) -> Bool {
        let text = line.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, !KubectlErrorClassifier.isKlogLine(text) else { return false }
        let lower = text.lowercased()
        let kubectlOwn = [
            "error", "unable to connect", "get \"", "couldn't get", "the connection to the server", "forwarding from",
            "handling connection",
        ]
        if kubectlOwn.contains(where: lower.hasPrefix) { return false }
        if lower.contains("http://") || lower.contains("https://") { return true }
        let asks = ["browser", "device code", "enter the code", "enter code", "sign in", "log in", "login", "visit "]
        return asks.contains(where: lower.contains)
    }
}
