import Testing

@Test func Kube9KitTestsBuilds() { #expect(Bool(true)) }
