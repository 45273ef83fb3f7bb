import Foundation
import PropertyBased
import Testing

@testable import Kube9Kit

@Suite struct JSONObjectStreamSplitterTests {
    @Test func watchStreamSplitsIntoEventsRespectingStringsAndEscapes() throws {
        let stream = try FixtureLoader.data("watch-stream.txt")
        var splitter = JSONObjectStreamSplitter()
        let objects = splitter.append(stream)
        #expect(objects.count == 3)
        let events = try objects.map { try KubeJSONDecoding.watchEvent(from: Data($0)) }
        #expect(events.map(\.type) == ["ADDED", "ADDED", "DELETED"])
        #expect(events.map(\.pod.name) == ["web-0", "web-1", "web-0"])
        #expect(!splitter.hasPartialObject)
    }

    @Test func anyChunkingGivesTheSameObjects() async throws {
        let stream = Array(try FixtureLoader.data("watch-stream.txt"))
        var whole = JSONObjectStreamSplitter()
        let expected = whole.append(stream)
        await propertyCheck(count: 200, input: Gen.int(in: 1...97).array(of: 1...40)) { sizes in
            var splitter = JSONObjectStreamSplitter()
            var objects: [[UInt8]] = []
            var offset = 0
            var index = 0
            while offset < stream.count {
                let size = sizes[index % sizes.count]
                let end = min(stream.count, offset + size)
                objects += splitter.append(stream[offset..<end])
                offset = end
                index += 1
            }
            #expect(objects == expected)
        }
    }

    @Test func partialObjectWaitsForTheRest() {
        var splitter = JSONObjectStreamSplitter()
        #expect(splitter.append(Array(#"{"a": "}{", "b": [1, {"#.utf8)).isEmpty)
        #expect(splitter.hasPartialObject)
        let done = splitter.append(Array(#"}]}  {"c":1}"#.utf8))
        #expect(done.map { String(decoding: $0, as: UTF8.self) } == [#"{"a": "}{", "b": [1, {}]}"#, #"{"c":1}"#])
    }

    @Test func lineSplitterKeepsPartialLines() {
        var splitter = LineSplitter()
        #expect(splitter.append(Array("Forwarding from 127.0.0.1:80".utf8)).isEmpty)
        #expect(splitter.append(Array(" -> 80\r\nHandling".utf8)) == ["Forwarding from 127.0.0.1:80 -> 80"])
        #expect(splitter.finish() == "Handling")
        #expect(splitter.finish() == nil)
    }
}
