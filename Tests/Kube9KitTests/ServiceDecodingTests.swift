import Foundation
import Kube9Kit
import Testing

@Suite("Service decoding")
struct ServiceDecodingTests {
    @Test func decodesPortsTargetPortsAndSelector() throws {
        let json = """
            {"kind":"ServiceList","items":[
              {"metadata":{"name":"web","namespace":"shop"},
               "spec":{"type":"ClusterIP","selector":{"app":"web"},
                       "ports":[{"name":"http","port":80,"targetPort":"http","protocol":"TCP"},
                                {"name":"metrics","port":9090,"targetPort":9091}]}},
              {"metadata":{"name":"db","namespace":"shop"},"spec":{"ports":[{"port":5432}]}}
            ]}
            """
        let services = try KubeJSONDecoding.services(from: Data(json.utf8))
        #expect(services.count == 2)
        #expect(services[0] == KubeService(
            name: "web", namespace: "shop", type: "ClusterIP",
            ports: [ServicePort(name: "http", port: 80, targetPort: .name("http")),
                    ServicePort(name: "metrics", port: 9090, targetPort: .number(9091))],
            selector: ["app": "web"]))
        #expect(services[0].portsSummary == "80/TCP,9090/TCP")
        #expect(services[1].ports == [ServicePort(port: 5432, targetPort: .number(5432))])
        #expect(services[1].type == "ClusterIP")
    }

    @Test func skipsNamelessItemsAndPortlessEntries() throws {
        let json = #"{"items":[{"metadata":{}},{"metadata":{"name":"a"},"spec":{"ports":[{"name":"x"}]}}]}"#
        let services = try KubeJSONDecoding.services(from: Data(json.utf8))
        #expect(services.map(\.name) == ["a"])
        #expect(services[0].ports.isEmpty)
    }

    @Test func numericStringTargetPortIsANumber() throws {
        let json = #"{"items":[{"metadata":{"name":"a"},"spec":{"ports":[{"port":80,"targetPort":"8080"}]}}]}"#
        #expect(try KubeJSONDecoding.services(from: Data(json.utf8))[0].ports[0].targetPort == .number(8080))
    }

    @Test func notJSONIsMalformedOutput() {
        #expect(throws: KubeError.self) { try KubeJSONDecoding.services(from: Data("nope".utf8)) }
    }
}
