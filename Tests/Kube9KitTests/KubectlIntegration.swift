import Testing

/// Every test that runs the real kubectl against kube9-sim, one at a time: kubectl is a heavy process and the
/// deadlines these tests check (10 s) must not be eaten by a machine saturated with dozens of concurrent kubectls.
@Suite(.serialized) enum KubectlIntegration {}
