/// What a credential plugin prints for the person while kubectl waits for it: a login URL, a device code
/// (`To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code …`,
/// `Please visit the following URL in your browser: http://localhost:8000`). kubectl relays the plugin's stderr
/// as it comes; kube9 shows such a line at once and waits longer for the call.
public enum CredentialPrompt {
    /// How long a call whose plugin asks the person to log in may take (instead of the usual 10 s deadline).
    public static let loginWait: Duration = .seconds(120)

    /// The line asks the person to do something: it has a URL or says browser, code, log in to … and is not one of
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
        // Words that ask for something, not the mere word login: a plugin's own failure often names its command
        // (`acme-login: refresh token expired`).
        let asks = [
            "browser", "device code", "enter the code", "enter code", "sign in", "visit ", "please log in", "please login",
            "log in to", "login to", "log in at", "login at", "log in with", "login with",
        ]
        return asks.contains(where: lower.contains)
    }
}
