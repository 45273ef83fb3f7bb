import Foundation
import Testing

@testable import Kube9Kit

/// forwards.json as people write it by hand: optional fields default, a broken file is moved aside with the reason.
@Suite struct SavedForwardStoreTests {
    static func store(_ contents: String) throws -> (SavedForwardStore, URL) {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kube9-saved-\(UUID().uuidString)")
        let folder = home.appendingPathComponent(".config/kube9")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: folder.appendingPathComponent("forwards.json"))
        return (SavedForwardStore(environment: ["HOME": home.path]), folder)
    }

    @Test func kindAndAddressMayBeLeftOut() throws {
        let (store, _) = try Self.store(
            #"{"version":1,"forwards":[{"context":"dev","namespace":"data","name":"redis-0","localPort":26379,"remotePort":6379}]}"#)
        let loaded = store.load()
        #expect(loaded.notice == nil)
        #expect(loaded.forwards == [
            SavedForward(context: "dev", namespace: "data", name: "redis-0", localPort: 26379, remotePort: 6379)
        ])
        #expect(loaded.forwards.first?.kind == .pod)
        #expect(loaded.forwards.first?.address == "localhost")
    }

    @Test(arguments: [
        (#"[{"context":"dev"}]"#, #"expected {"version": 1, "forwards": [...]}"#),
        (#"{"version":1,"forwards":[{"context":"dev","namespace":"data","localPort":1,"remotePort":2}]}"#, #"forwards[0] has no "name""#),
        (#"{"version":1,"forwards":[{"context":"dev","namespace":"data","name":"x","localPort":"80","remotePort":2}]}"#, "forwards[0].localPort has the wrong type"),
        ("{not json", "not valid JSON"),
    ])
    func aBrokenFileIsKeptAsideWithTheReason(contents: String, reason: String) throws {
        let (store, folder) = try Self.store(contents)
        let loaded = store.load()
        #expect(loaded.forwards.isEmpty)
        let aside = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("forwards.json.corrupt-") }
        #expect(aside.count == 1)
        #expect(loaded.notice?.text == Messages.savedForwardsCorrupt(keptAt: folder.appendingPathComponent(aside[0]).path, reason: reason))
    }
}
