/// The fixed discovery documents: `/version`, `/api`, `/apis`, `/api/v1`, `/apis/apps/v1`.
enum Discovery {
    static func version(minor: Int) -> String {
        #"{"major":"1","minor":"\#(minor)","emulationMajor":"1","emulationMinor":"\#(minor)","gitVersion":"v1.\#(minor).4","gitCommit":"59526cd4867447956156ae3a602fcbac5a5e6ec2","gitTreeState":"clean","buildDate":"2025-04-22T16:02:27Z","goVersion":"go1.23.6","compiler":"gc","platform":"linux/amd64"}"#
    }

    static func apiVersions(port: Int) -> String {
        #"{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1:\#(port)"}]}"#
    }

    static let apiGroupList = #"""
        {"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],\#
        "preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}]}
        """#

    /// `/apis/apps/v1`: the workloads kubectl resolves to a pod (`kubectl port-forward deploy/web`), by name.
    static let appsResources: String = {
        let verbs = #"["create","delete","deletecollection","get","list","patch","update","watch"]"#
        let resources = ScenarioWorkload.resources.sorted { $0.value.plural < $1.value.plural }.map { kind, names in
            #"{"name":"\#(names.plural)","singularName":"\#(kind.lowercased())","namespaced":true,"kind":"\#(kind)","verbs":\#(verbs),"shortNames":["\#(names.shortName)"],"categories":["all"]}"#
        }
        return #"{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":["# + resources.joined(separator: ",") + "]}"
    }()

    static let coreResources = #"""
        {"kind":"APIResourceList","groupVersion":"v1","resources":[\#
        {"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace","verbs":["create","delete","get","list","patch","update","watch"],"shortNames":["ns"],"storageVersionHash":"Q3oi5N2YM8M="},\#
        {"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"shortNames":["po"],"categories":["all"],"storageVersionHash":"xPOwRZ+Yhw8="},\#
        {"name":"pods/log","singularName":"","namespaced":true,"kind":"Pod","verbs":["get"]},\#
        {"name":"pods/portforward","singularName":"","namespaced":true,"kind":"PodPortForwardOptions","verbs":["create","get"]},\#
        {"name":"pods/status","singularName":"","namespaced":true,"kind":"Pod","verbs":["get","patch","update"]},\#
        {"name":"services","singularName":"service","namespaced":true,"kind":"Service","verbs":["create","delete","get","list","patch","update","watch"],"shortNames":["svc"],"categories":["all"],"storageVersionHash":"0/CO1lhkEBI="},\#
        {"name":"services/portforward","singularName":"","namespaced":true,"kind":"ServicePortForwardOptions","verbs":["create","get"]}]}
        """#
}
