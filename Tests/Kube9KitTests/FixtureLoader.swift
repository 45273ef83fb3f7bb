import Foundation

/// Reads files from the test bundle's Fixtures folder.
enum FixtureLoader {
    static func data(_ name: String) throws -> Data {
        guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: folder.appendingPathComponent(name))
    }
}
