#!/bin/sh
# Records the stderr of the real kubectl for authentication and TLS failures into this folder (the classifier's
# fixtures): exec credential plugins that fail, print garbage or need a terminal; a server answering 401; a server
# whose certificate is not trusted. Needs kubectl (the dispatcher and kubectl.1.27), openssl and python3.
# Usage: sh record.sh  (from anywhere; writes next to itself)
set -eu
out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
export HOME="$work/home"
mkdir -p "$HOME"
cd "$work"

openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 -subj /CN=localhost \
    -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null
cat > server.py <<'PY'
import http.server, json, ssl, sys
class Unauthorized(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": "Unauthorized",
                           "reason": "Unauthorized", "code": 401}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_POST = do_GET
    def log_message(self, *args): pass
server = http.server.HTTPServer(("127.0.0.1", 0), Unauthorized)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain("cert.pem", "key.pem")
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
PY
python3 server.py > port.txt &
server=$!
while [ ! -s port.txt ]; do sleep 0.1; done
port=$(cat port.txt)
ca=$(base64 -w0 cert.pem)

printf '#!/bin/sh\necho "error: token expired; run: acme-login --refresh" >&2\nexit 1\n' > plugin-fails
printf '#!/bin/sh\necho "Open https://login.example.com/device and enter ABCD-EFGH"\n' > plugin-garbage
printf '#!/bin/sh\necho %s\n' "'{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"t\"}}'" > plugin-token
chmod +x plugin-*

# kubeconfig SERVER CA-LINE USER-BLOCK
kubeconfig() {
    cat <<YAML
apiVersion: v1
kind: Config
current-context: c
clusters:
- name: c
  cluster:
    server: $1
$2
contexts:
- name: c
  context: {cluster: c, user: u, namespace: shop}
users:
- name: u
  user:
$3
YAML
}
exec_user() { printf '    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: %s\n      interactiveMode: %s\n' "$work/$1" "$2"; }
trusted="    certificate-authority-data: $ca"
kubeconfig https://127.0.0.1:1 "" "$(exec_user plugin-fails Never)" > exec-fails.yaml
kubeconfig https://127.0.0.1:1 "" "$(exec_user plugin-garbage Never)" > exec-garbage.yaml
kubeconfig https://127.0.0.1:1 "" "$(exec_user plugin-token Always)" > exec-interactive.yaml
kubeconfig "https://127.0.0.1:$port" "$trusted" "    token: expired" > unauthorized.yaml
kubeconfig "https://127.0.0.1:$port" "" "    token: t" > untrusted.yaml

record() { # NAME KUBECTL KUBECONFIG VERB
    if [ "$4" = get ]; then
        "$2" --kubeconfig "$3" get --raw /api/v1/namespaces --request-timeout 5s < /dev/null 2> "$out/$1.txt" > /dev/null || true
    else
        "$2" --kubeconfig "$3" port-forward pod/web-0 0:80 -n shop < /dev/null 2> "$out/$1.txt" > /dev/null || true
    fi
}
old=$(dirname "$(readlink -f "$(command -v kubectl)")")/kubectl.1.27
for case in exec-fails exec-garbage exec-interactive unauthorized untrusted; do
    record "$case-get" kubectl "$case.yaml" get
    record "$case-port-forward" kubectl "$case.yaml" port-forward
    record "$case-get-1.27" "$old" "$case.yaml" get
done
