import Foundation
import Kube9TestSupport

/// The kubectl processes alive on this machine whose command line mentions `text` (e.g. a harness kubeconfig).
func kubectlProcesses(mentioning text: String) -> [String] {
    processes(named: "kubectl", mentioning: text).map { "\($0.pid): \($0.commandLine)" }
}

/// The processes whose program name starts with `program` and whose command line mentions `text`.
func processes(named program: String, mentioning text: String) -> [(pid: Int32, commandLine: String)] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    var found: [(pid: Int32, commandLine: String)] = []
    for entry in entries where entry.allSatisfy(\.isNumber) {
        guard let pid = Int32(entry),
            let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"), !data.isEmpty
        else { continue }
        let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        guard let name = arguments.first?.split(separator: "/").last, name.hasPrefix(program) else { continue }
        if arguments.contains(where: { $0.contains(text) }) {
            found.append((pid, arguments.joined(separator: " ")))
        }
    }
    return found
}

/// The one kube9 process started with `kubeconfig`, or nil. A child kube9 is spawning shows kube9's command line
/// between its fork and its exec: only a kube9 whose parent is not one of them counts.
func kube9ProcessID(kubeconfig: String) -> Int32? {
    let found = processes(named: "kube9", mentioning: kubeconfig).filter { !$0.commandLine.contains("kube9-sim") }
    let children = Set(found.flatMap { ProcessTable.children(of: $0.pid) })
    let roots = found.filter { !children.contains($0.pid) }
    return roots.count == 1 ? roots[0].pid : nil
}

/// The `kubectl port-forward` processes started with `kubeconfig`.
func portForwardProcessIDs(kubeconfig: String) -> [Int32] {
    processes(named: "kubectl", mentioning: kubeconfig).filter { $0.commandLine.contains(" port-forward ") }.map(\.pid)
}
