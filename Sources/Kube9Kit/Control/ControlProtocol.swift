import Foundation

/// The control protocol, version 1: one JSON request line from the client, one JSON response line from the
/// instance, then the instance closes the connection. Documented in the README ("Control socket").
public enum ControlProtocol {
    public static let version = 1
    /// A request line longer than this is refused (the connection is closed).
    public static let maxRequestBytes = 64 * 1024
    /// The client's cap on a response line.
    public static let maxResponseBytes = 16 * 1024 * 1024
}

/// A request line: `{"v":1,"op":"list"}`, `{"v":1,"op":"stop","ports":[8080]}`, `{"v":1,"op":"stop","all":true}`,
/// `{"v":1,"op":"start","forward":{…},"heals":true}`.
public struct ControlRequest: Sendable, Codable, Equatable {
    public enum Operation: String, Sendable, Codable, Equatable {
        case list, stop, start
    }

    public var v: Int
    public var op: Operation
    public var ports: [Int]?
    public var all: Bool?
    /// What `start` starts (the fields of a saved forward), and whether it heals (default true).
    public var forward: SavedForward?
    public var heals: Bool?

    public init(op: Operation, ports: [Int]? = nil, all: Bool? = nil) {
        self.v = ControlProtocol.version
        self.op = op
        self.ports = ports
        self.all = all
    }

    /// A `start` of `request`.
    public static func start(_ request: ForwardRequest) -> ControlRequest {
        var start = ControlRequest(op: .start)
        start.forward = SavedForward(request)
        start.heals = request.heals
        return start
    }
}

/// A response line. `ok` false: `error` says why. `forwards`: every forward (list), the stopped ones (stop), the
/// started one (start).
public struct ControlResponse: Sendable, Codable, Equatable {
    public var v: Int
    public var ok: Bool
    public var error: String?
    public var instance: ControlInstance?
    public var forwards: [ControlForward]?

    public init(ok: Bool, error: String? = nil, instance: ControlInstance? = nil, forwards: [ControlForward]? = nil) {
        self.v = ControlProtocol.version
        self.ok = ok
        self.error = error
        self.instance = instance
        self.forwards = forwards
    }

    public static func failure(_ message: String, instance: ControlInstance? = nil) -> ControlResponse {
        ControlResponse(ok: false, error: message, instance: instance)
    }
}

extension JSONEncoder {
    /// The encoder of control lines: one line, ISO 8601 dates, sorted keys.
    public static var control: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension JSONDecoder {
    public static var control: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
