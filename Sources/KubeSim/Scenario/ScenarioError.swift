/// Why a scenario could not be used: which file, where in the JSON, and what is wrong.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The scenario file, or nil for JSON given as a string.
    public var file: String?
    /// Where in the JSON, e.g. `contexts[0].namespaces[1].pods[2].phase`; empty for the whole document.
    public var path: String
    public var problem: String

    public init(file: String?, path: String, problem: String) {
        self.file = file
        self.path = path
        self.problem = problem
    }

    public var description: String {
        let source = file.map { "scenario file \($0)" } ?? "scenario"
        let location = path.isEmpty ? "" : " at \(path)"
        return "invalid \(source)\(location): \(problem)"
    }
}
