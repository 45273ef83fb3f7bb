import Foundation

// kube9-bench: `make bench`. Measures kube9 next to raw kubectl against an in-process kube9-sim, prints a table
// and writes bench-results.json. Informational: exits 0 whatever the figures are.
//   kube9-bench [--kube9 PATH] [--json PATH] [--only FIGURE,...]     the whole run, or some figures
//   kube9-bench hold --kubeconfig PATH           stand-in for `kube9 up` (see Holder)

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "hold" {
    exit(await Holder.run(arguments: Array(arguments.dropFirst())))
}
exit(await BenchRun.main(arguments: arguments))
