import Testing

@Test func Kube9TUITestsBuilds() { #expect(Bool(true)) }
