extension ForwardRecord {
    /// `146 B in, 4.1 KB out`: what the relay carried (to the pod, and back); nil before the first byte.
    public var trafficText: String? {
        guard bytesIn > 0 || bytesOut > 0 else { return nil }
        return "\(Self.byteText(bytesIn)) in, \(Self.byteText(bytesOut)) out"
    }

    /// `512 B`, `4.1 KB`, `35 MB`, `1.2 GB` (units of 1,024).
    public static func byteText(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        var value = Double(bytes) / 1024
        for unit in ["KB", "MB", "GB"] {
            if value < 1024 || unit == "GB" {
                let rounded = (value * 10).rounded() / 10
                return rounded < 10 ? "\(rounded) \(unit)" : "\(Int(value.rounded())) \(unit)"
            }
            value /= 1024
        }
        return "\(bytes) B"
    }
}
