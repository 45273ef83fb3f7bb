import Foundation
import Kube9Kit
import Testing
@testable import Kube9TUI

/// Context names as clouds make them (EKS: `arn:aws:eks:REGION:ACCOUNT:cluster/NAME`, GKE:
/// `gke_PROJECT_ZONE_NAME`): on a row that is too wide they give up their middle, so that what follows them (a
/// forward's status, the `(current)` mark, the pod in the dialog's title) stays on screen.
@Suite struct LongContextNameTests {
    static let eks = "arn:aws:eks:us-east-1:123456789012:cluster/prod"

    static func withEKSContext(width: Int, forwards: [ForwardRecord] = []) -> AppState {
        var s = Fixtures.state(width: width, height: 24)
        let contexts = [KubeContext(name: eks, namespace: "default", isCurrent: true), KubeContext(name: "dev")]
        s = Fixtures.apply(s, .contextsLoaded(.success(contexts)), .forwardsRefreshed(forwards, asOf: 0))
        return s
    }

    @Test func theMiddleGivesWayAndBothEndsStay() {
        #expect(TextFitting.truncateMiddle(Self.eks, toWidth: 17, ellipsis: "…") == "arn:aws:…ter/prod")
        #expect(TextFitting.truncateMiddle(Self.eks, toWidth: 60, ellipsis: "…") == Self.eks)
        #expect(TextFitting.truncateMiddle("gke_shop-prod_europe-west1_payments", toWidth: 20, ellipsis: "...")
            == "gke_shop..._payments")
        // Wide characters count two columns each, and the result never exceeds the width.
        let wide = TextFitting.truncateMiddle("本番クラスター東京リージョン", toWidth: 11, ellipsis: "…")
        #expect(wide == "本番ク…ョン" && CharacterWidth.of(wide) == 11)
    }

    @Test func onlyElidableSegmentsShrinkAndNotBelowTheirFloor() {
        let row = [Segment("label  "), Segment(Self.eks, elidable: true), Segment(" • connected")]
        let fitted = Segment.fitted(row, width: 50, ellipsis: "…")
        #expect(fitted.map(\.text) == ["label  ", "arn:aws:eks:us-…12:cluster/prod", " • connected"])
        #expect(fitted.reduce(0) { $0 + CharacterWidth.of($1.text) } == 50)
        // Narrower than the floor allows: the context stops at 17 columns, the row is then cut at its end.
        #expect(Segment.fitted(row, width: 20, ellipsis: "…")[1].text == "arn:aws:…ter/prod")
        #expect(Segment.fitted(row, width: 200, ellipsis: "…") == row)
    }

    @Test func aForwardRowKeepsItsStatusBehindAnEKSContext() {
        let forward = Fixtures.forward(context: Self.eks)
        let s = Fixtures.apply(Self.withEKSContext(width: 80, forwards: [forward]), .key(.home), .key(.right))
        let row = Fixtures.lines(s)[2]
        #expect(row == "    localhost:8080 → default/web-0:80  arn:aws:e…ster/prod • connected • 5m 32s")
        // Wide enough: the whole name.
        let wide = Fixtures.apply(Self.withEKSContext(width: 120, forwards: [forward]), .key(.home), .key(.right))
        #expect(Fixtures.lines(wide)[2] == "    localhost:8080 → default/web-0:80  \(Self.eks) • connected • 5m 32s")
    }

    /// A long pod name beside the EKS context at 80 columns: the pod gives up its middle too (after the context),
    /// the local port never, so the status stays readable; a failure reason is not made room for (it is shown whole
    /// under the selected row).
    @Test func aLongPodNameGivesWayToTheStatusAfterTheContext() {
        let forward = Fixtures.forward("api-7d9f8b6c5-x2x9z", local: 23457, remote: 8080, context: Self.eks, namespace: "payments")
        let s = Fixtures.apply(Self.withEKSContext(width: 80, forwards: [forward]), .key(.home), .key(.right))
        let row = Fixtures.lines(s)[2]
        #expect(row.hasPrefix("    localhost:23457 → "), "\(row)")
        #expect(row.contains("x2x9z:8080  arn:aws:…ter/prod • connected"), "\(row)")
        #expect(CharacterWidth.of(row) <= 80)
        // Segments: none eliding late without a status to keep in view.
        let failing = [Segment("localhost:1 → "), { var s = Segment("payments/a-very-long-pod-name-0:80", elidable: true); s.elidesLate = true; return s }(),
                       Segment(" • ✗ a long reason that does not fit anyway")]
        #expect(Segment.fitted(failing, width: 40, ellipsis: "…") == failing)
    }

    @Test func theContextRowKeepsItsCurrentMarkAndTheTitleLineItsEnd() {
        let lines = Fixtures.lines(Self.withEKSContext(width: 40))
        #expect(lines[0] == " kube9  ~/.kube/config  context: arn:aw…")
        #expect(lines.contains("▸ arn:aws:eks:u…:cluster/prod (current)"))
        let wider = Fixtures.lines(Self.withEKSContext(width: 60))
        #expect(wider[0] == " kube9  ~/.kube/config  context: arn:aws:eks:u…:cluster/prod")
    }

    @Test func theDialogTitleKeepsThePod() {
        var pod = Fixtures.pod("web-7d9f8b6c5d-x2k4p")
        pod.namespace = "team-a"
        var dialog = PortDialogState(pod: pod, context: Self.eks)
        #expect(dialog.title == "Port forward \(Self.eks): team-a/web-7d9f8b6c5d-x2k4p")
        // The dialog's own width (64 columns at most): the pod whole, the title within the border.
        let fitted = dialog.title(width: 58, ellipsis: "…")
        #expect(fitted == "Port forward arn:aws…ter/prod: team-a/web-7d9f8b6c5d-x2k4p" && CharacterWidth.of(fitted) <= 58, "\(fitted)")
        var s = Fixtures.state(width: 80, height: 24)
        s.dialog = dialog
        let drawn = Fixtures.lines(s).first { $0.contains("Port forward") } ?? ""
        #expect(drawn.contains(" Port forward arn:aws…ter/prod: team-a/web-7d9f8b6c5d-x2k4p ─"), "\(drawn)")
        // Narrower than the pod needs: the context stops at its floor, and the title is cut at its end.
        #expect(dialog.title(width: 40, ellipsis: "…") == "Port forward arn:…prod: team-a/web-7d9f8b6c5d-x2k4p")
        #expect(dialog.title(width: 200, ellipsis: "…") == dialog.title)
        dialog.context = "dev"
        #expect(dialog.title(width: 10, ellipsis: "…") == dialog.title)
    }

    @Test func theFinderTitleKeepsBothEndsOfTheContext() {
        var s = Self.withEKSContext(width: 80)
        s = Fixtures.apply(s, .key(.down))
        s = Fixtures.press(s, .character(":")).0
        let title = Fixtures.lines(s).first { $0.contains("Jump to pod or service") } ?? ""
        #expect(title.contains("Jump to pod or service • arn:aws:eks:") && title.contains("cluster/prod ─"), "\(title)")
    }
}
