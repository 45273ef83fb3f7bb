import Foundation
import Kube9TestSupport

/// The kubectl processes alive on this machine whose command line mentions `text` (e.g. a harness kubeconfig).
func kubectlProcesses(mentioning text: String) -> [String] {
    ProcessTable.processes(named: "kubectl", containing: text).map { "\($0.pid): \($0.commandLine)" }
}

/// The one kube9 process started with `kubeconfig`, or nil. A child kube9 is spawning shows kube9's command line
/// between its fork and its exec: only a kube9 whose parent is not one of them counts.
func kube9ProcessID(kubeconfig: String) -> Int32? {
    let found = ProcessTable.processes(named: "kube9", containing: kubeconfig).filter { !$0.commandLine.contains("kube9-sim") }
    let children = Set(found.flatMap { ProcessTable.children(of: $0.pid) })
    let roots = found.filter { !children.contains($0.pid) }
    return roots.count == 1 ? roots[0].pid : nil
}

/// The `kubectl port-forward` processes started with `kubeconfig`.
func portForwardProcessIDs(kubeconfig: String) -> [Int32] {
    ProcessTable.processes(named: "kubectl", containing: kubeconfig).filter { $0.commandLine.contains(" port-forward ") }.map(\.pid)
}
