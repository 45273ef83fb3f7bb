import Testing

@Test func Kube9EndToEndTestsBuilds() { #expect(Bool(true)) }
