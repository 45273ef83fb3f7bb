import Kube9Kit

/// Draws the visible window of the tree (only the rows on screen), the selection and scroll marks.
public enum TreeView {
    /// `first`: the first row drawn (the state's scroll offset unless the screen moves it).
    public static func draw(_ state: AppState, into grid: inout CellGrid, top: Int, height: Int, first: Int? = nil) {
        let width = grid.width
        let glyphs = state.glyphs
        let needle = state.filter.isActive ? state.filter.query.lowercased() : nil
        let first = first ?? state.scrollOffset
        let end = min(state.rows.count, first + height)
        var y = top
        if first < end {
            for index in first..<end {
                let row = state.rows[index]
                let segments = segments(for: row, state: state, glyphs: glyphs, needle: needle)
                grid.write(segments, x: 0, y: y, width: width - 1, ellipsis: glyphs.ellipsis)
                if index == state.selection {
                    grid.restyle(x: 0, y: y, width: width) { $0.reversed }
                }
                y += 1
            }
        }
        if first > 0 {
            grid.write(glyphs.up, x: width - 1, y: top, style: Theme.dim)
        }
        if end < state.rows.count {
            grid.write(glyphs.down, x: width - 1, y: top + height - 1, style: Theme.dim)
        }
    }

    /// `localhost:8080 → ns/pod:80` as two segments: the local side whole, the target elidable after the context.
    private static func forwardLabel(_ text: String, _ style: CellStyle, _ label: (String, CellStyle) -> Segment) -> [Segment] {
        guard let arrow = text.range(of: " → ") ?? text.range(of: " -> ") else { return [label(text, style)] }
        var target = label(String(text[arrow.upperBound...]), style)
        target.elidable = true
        target.elidesLate = true
        return [label(String(text[..<arrow.upperBound]), style), target]
    }

    /// One row as styled segments: indentation, expander, then what the node shows.
    public static func segments(for row: TreeRow, state: AppState, glyphs: Glyphs, needle: String?) -> [Segment] {
        var parts: [Segment] = []
        let indent = String(repeating: "  ", count: row.depth)
        if row.isExpandable {
            parts.append(Segment(indent + (row.isExpanded ? glyphs.expanded : glyphs.collapsed) + " ", Theme.dim))
        } else {
            parts.append(Segment(indent + "  "))
        }
        func label(_ text: String, _ style: CellStyle) -> Segment {
            if let needle, !needle.isEmpty, text.lowercased().contains(needle) { return Segment(text, Theme.match) }
            return Segment(text, style)
        }
        switch row.content {
        case .forwardsCategory(let count):
            parts.append(label(UIText.forwardsCategory, Theme.bold))
            parts.append(Segment("  "))
            parts.append(Segment(UIText.activeCount(count), count > 0 ? Theme.success : Theme.dim))
        case .forward(let record):
            if !ForwardRequest.isLoopback(address: record.address) { parts.append(Segment(glyphs.exposed + " ", Theme.warning)) }
            // Too wide (a long pod name beside an EKS context): the context gives up its middle, then the pod, so
            // the status stays on screen; the local port is never cut.
            parts += forwardLabel(glyphs.plain(record.label), .plain, label)
            parts.append(Segment("  "))
            parts.append(Segment(record.context, Theme.dim, elidable: true))
            parts.append(Segment(" " + glyphs.bullet + " ", Theme.dim))
            var status = Segment(Formatting.status(record), Theme.status(record.status))
            status.keepsInView = true
            parts.append(status)
            parts.append(Segment(" " + glyphs.bullet + " " + Formatting.uptime(from: record.startTime, to: state.now), Theme.dim))
            if let activity = Formatting.activity(record, now: state.now, bullet: glyphs.bullet) {
                parts.append(Segment(" " + glyphs.bullet + " " + activity, Theme.dim))
            }
            if !record.heals { parts.append(Segment(" " + glyphs.bullet + " " + UIText.healingOffMark, Theme.warning)) }
            if state.tree.isSaved(record) { parts.append(Segment(" " + UIText.savedMark, Theme.dim)) }
        case .savedForward(let entry, let failure):
            // Laid out like a running forward (label, context, status, marks), dimmed, its status `○ stopped` or
            // why it failed to start.
            if !ForwardRequest.isLoopback(address: entry.address) { parts.append(Segment(glyphs.exposed + " ", Theme.warning)) }
            parts += forwardLabel(glyphs.plain(entry.label), Theme.dim, label)
            parts.append(Segment("  "))
            parts.append(Segment(entry.context, Theme.dim, elidable: true))
            parts.append(Segment(" " + glyphs.bullet + " ", Theme.dim))
            if let failure {
                // A reason too long for the row is shown whole under it when selected (RowReasonView).
                parts.append(Segment(glyphs.errorMark + " " + failure, Theme.error))
            } else {
                var stopped = Segment(glyphs.stoppedSaved + " " + ForwardStatus.stopped.rawValue, Theme.dim)
                stopped.keepsInView = true
                parts.append(stopped)
            }
            if !entry.heals { parts.append(Segment(" " + glyphs.bullet + " " + UIText.healingOffMark, Theme.warning)) }
            if entry.onDemand == true { parts.append(Segment(" " + glyphs.bullet + " " + UIText.onDemandMark, Theme.dim)) }
            parts.append(Segment(" " + UIText.savedMark, Theme.dim))
        case .servicesGroup:
            parts.append(label(UIText.servicesGroup, Theme.bold))
        case .service(let service, let nameColumn):
            parts.append(label(TextFitting.pad(service.name, toWidth: nameColumn, ellipsis: glyphs.ellipsis), .plain))
            parts.append(Segment("  "))
            parts.append(Segment(TextFitting.pad(service.type, toWidth: 12, ellipsis: glyphs.ellipsis), Theme.dim))
            parts.append(Segment(service.portsSummary, Theme.dim))
        case .noForwards:
            parts.append(Segment(UIText.noForwards, Theme.dim))
        case .context(let context, let isCurrent):
            var name = label(context.name, Theme.bold)
            name.elidable = true
            parts.append(name)
            if isCurrent { parts.append(Segment(" " + UIText.currentMark, Theme.success)) }
        case .namespace(let name, let isDefault):
            parts.append(label(name, .plain))
            if isDefault { parts.append(Segment(" " + UIText.defaultMark, Theme.dim)) }
        case .pod(let pod, _, let isForwarded, let nameColumn):
            let phaseStyle = Theme.phase(pod.phase)
            parts.append(Segment(glyphs.phaseMark(pod.phase) + " ", phaseStyle))
            parts.append(label(TextFitting.pad(pod.name, toWidth: nameColumn, ellipsis: glyphs.ellipsis), .plain))
            parts.append(Segment("  "))
            // Like kubectl: a pod being deleted reads Terminating whatever its phase.
            let phaseText = pod.deletionTimestamp == nil ? pod.phase.rawValue : UIText.terminating
            parts.append(Segment(TextFitting.pad(phaseText, toWidth: 12, ellipsis: glyphs.ellipsis), pod.deletionTimestamp == nil ? phaseStyle : Theme.dim))
            parts.append(Segment("\(pod.readyCount)/\(pod.containers.count)", Theme.dim))
            if isForwarded { parts.append(Segment(" " + glyphs.forwardBadge, Theme.badge)) }
        case .loading:
            parts.append(Segment(Formatting.spinner(glyphs.spinner, at: state.now) + " " + glyphs.loading, Theme.dim))
        case .waitingForLogin(let prompt):
            parts.append(Segment(Formatting.spinner(glyphs.spinner, at: state.now) + " " + UIText.waitingForLogin(prompt), Theme.dim))
        case .failed(let message):
            parts.append(Segment(glyphs.errorMark + " " + message, Theme.error))
        case .empty(let text):
            parts.append(Segment(text, Theme.dim))
        }
        return parts
    }
}
