import Testing

@Test func KubeSimTestsBuilds() { #expect(Bool(true)) }
