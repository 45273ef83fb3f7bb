import Foundation
import Testing

@testable import Kube9Kit

/// The relay's byte counts as the forward row and `kube9 forward`'s activity line show them.
@Suite struct ForwardTrafficTextTests {
    @Test func bytesReadInUnitsOf1024() {
        #expect(ForwardRecord.byteText(0) == "0 B")
        #expect(ForwardRecord.byteText(1023) == "1023 B")
        #expect(ForwardRecord.byteText(1024) == "1.0 KB")
        #expect(ForwardRecord.byteText(4198) == "4.1 KB")
        #expect(ForwardRecord.byteText(35 * 1024 + 100) == "35 KB")
        #expect(ForwardRecord.byteText(64 * 1024 * 1024) == "64 MB")
        #expect(ForwardRecord.byteText(5 * 1024 * 1024 * 1024 / 4) == "1.3 GB")
    }

    @Test func noTrafficNoText() {
        var record = ForwardRecord(
            id: "a", target: ForwardTarget(context: "dev", namespace: "default", name: "web-0"), localPort: 8080, remotePort: 80,
            status: .connected, startTime: Date())
        #expect(record.trafficText == nil)
        record.bytesIn = 146
        record.bytesOut = 4198
        #expect(record.trafficText == "146 B in, 4.1 KB out")
    }
}
