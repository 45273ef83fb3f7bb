import Foundation

/// One benchmark figure: kube9's samples next to the reference's, measured in the same run.
struct Figure: Sendable {
    var name: String
    var unit: String
    var kube9: [Double]
    var reference: [Double]
    /// The target as the issue states it, e.g. `ratio ≤ 1.05`.
    var target: String
    /// Whether the target is met, given the figure.
    var isMet: @Sendable (Figure) -> Bool
    /// The percentile the `kube9`/`reference` headline uses (50 = median; key_to_frame also reports 99).
    var headlinePercentile: Double = 50

    var kube9Median: Double { Statistics.median(kube9) }
    var referenceMedian: Double { Statistics.median(reference) }
    var kube9P95: Double { Statistics.percentile(kube9, 95) }
    var referenceP95: Double { Statistics.percentile(reference, 95) }
    var kube9P99: Double { Statistics.percentile(kube9, 99) }
    var referenceP99: Double { Statistics.percentile(reference, 99) }
    var ratio: Double { kube9Median / referenceMedian }
    var met: Bool { !kube9.isEmpty && !reference.isEmpty && isMet(self) }
}

/// The table on stdout and `bench-results.json`.
enum Report {
    static func table(_ figures: [Figure]) -> String {
        var lines = ["| figure | kube9 median | kube9 p95 | reference median | reference p95 | unit | ratio | target | met |",
                     "|---|---|---|---|---|---|---|---|---|"]
        for figure in figures {
            lines.append("| \(figure.name) | \(format(figure.kube9Median)) | \(format(figure.kube9P95)) | "
                + "\(format(figure.referenceMedian)) | \(format(figure.referenceP95)) | \(figure.unit) | "
                + "\(format(figure.ratio)) | \(figure.target) | \(figure.met ? "yes" : "NO") |")
            if figure.name == "key_to_frame" {
                lines.append("| key_to_frame p99 | \(format(figure.kube9P99)) | | \(format(figure.referenceP99)) | | ms | "
                    + "\(format(figure.kube9P99 / figure.referenceP99)) | p99 < 16.7 ms | \(figure.kube9P99 < 16.7 ? "yes" : "NO") |")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ figures: [Figure]) throws -> Data {
        var object: [String: Any] = [:]
        for figure in figures {
            var entry: [String: Any] = [
                "kube9": number(figure.kube9Median), "reference": number(figure.referenceMedian), "unit": figure.unit,
                "ratio": number(figure.ratio), "kube9_p95": number(figure.kube9P95),
                "reference_p95": number(figure.referenceP95), "samples": figure.kube9.count,
                "reference_samples": figure.reference.count, "target": figure.target, "met": figure.met,
            ]
            if figure.name == "key_to_frame" {
                entry["kube9_p99"] = number(figure.kube9P99)
                entry["reference_p99"] = number(figure.referenceP99)
            }
            object[figure.name] = entry
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        if abs(value) >= 100 { return String(format: "%.0f", value) }
        if abs(value) >= 1 { return String(format: "%.2f", value) }
        return String(format: "%.3f", value)
    }

    private static func number(_ value: Double) -> Any { value.isFinite ? value : NSNull() }
}
