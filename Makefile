# eekbp: one entry point for building, testing and running the demo.
#
#   make          kernel modules for every kernel of the matrix + the agent
#   make test     all tests: unit, module builds, checkpatch, QEMU guests
#   make demo     the main job in a QEMU guest (agent + EE-KBP + traffic)
#   make bench    the evaluation matrix in QEMU guests (docs/bench/)
#   make soak     load/unload cycles and mode/frequency toggles under traffic
#   make deps     install what is missing (apt packages, kernel matrix)
#   make deb      the eekbp and eekbp-dkms packages (build/deb/), lintian-checked
#   make install  on a real host: make deb, then apt-get install both packages
#   make uninstall  apt-get remove both packages (purge: apt-get purge)
#
# KDIR=/lib/modules/$(uname -r)/build builds the modules for one kernel only.

SHELL := /bin/bash
TOP := $(CURDIR)
BUILD := $(TOP)/build
KERNELS ?= 6.1.0-47-amd64 6.1.0-56-amd64 6.12.117+deb12-amd64
JAVA_HOME := $(shell $(TOP)/scripts/find-jdk.sh 2>/dev/null)
export JAVA_HOME
# Java targets start with this; module builds need no JDK.
NEED_JDK = @test -n "$(JAVA_HOME)" || $(TOP)/scripts/find-jdk.sh >/dev/null
export MAVEN_OPTS ?= --sun-misc-unsafe-memory-access=allow
MVN := mvn -B -q -Dstyle.color=never
AGENT_JAR := $(TOP)/agent/target/eekbp-agent-0.1.0-SNAPSHOT-all.jar
STAMP := $(BUILD)/.deps-stamp


.PHONY: all deps modules agent checkpatch check-upstream test unit-test it-test demo bench \
	bench-telemetry bench-compete soak deb deb-test install uninstall monitoring-check clean

all: modules agent

$(STAMP): scripts/deps.sh scripts/fetch-kernel.sh
	$(TOP)/scripts/deps.sh $(BUILD) $(KERNELS)
	@touch $@

deps:
	@rm -f $(STAMP)
	@$(MAKE) --no-print-directory $(STAMP)

ifdef KDIR
modules:
	$(TOP)/scripts/build-modules.sh "$$(basename $$(dirname $(KDIR)))" \
		$(KDIR) $(BUILD)/modules/local
else
modules: $(STAMP)
	@for k in $(KERNELS); do \
		$(TOP)/scripts/build-modules.sh $$k $(BUILD)/kernels/$$k/build \
			$(BUILD)/modules/$$k || exit 1; \
	done
endif

agent:
	$(NEED_JDK)
	cd $(TOP) && $(MVN) -pl agent -am install -DskipTests

checkpatch: $(STAMP)
	@$(TOP)/scripts/checkpatch.sh $(BUILD)/checkpatch/checkpatch.pl

# Copied/replaced kernel functions against each matrix kernel's Debian source.
check-upstream: $(STAMP)
	@$(TOP)/scripts/check-upstream.sh $(BUILD) $(KERNELS)

unit-test:
	$(NEED_JDK)
	cd $(TOP) && $(MVN) -pl agent -am install

# unit-test built the agent jar: the packages need no second Maven run.
# The integration tests include DebInstallTest on one kernel (the 6.12):
# the packages and their systemd service in a guest. Packed with gzip -1
# here (xz, dpkg's default that make deb keeps, costs ~4 min on 2 cores).
it-test: modules unit-test
	$(NEED_JDK)
	EEKBP_DPKG_DEB_ARGS="-Zgzip -z1" $(TOP)/packaging/build-deb.sh $(AGENT_JAR) $(DEB_DIR)
	cd $(TOP) && $(MVN) -pl integration-tests test \
		-Deekbp.kernels="$(KERNELS)" -Deekbp.root=$(TOP)

test: $(STAMP)
	@$(MAKE) --no-print-directory checkpatch
	@$(MAKE) --no-print-directory check-upstream
	@$(MAKE) --no-print-directory monitoring-check
	@$(MAKE) --no-print-directory it-test
	@$(TOP)/scripts/test-summary.sh $(TOP)/agent/target/surefire-reports \
		$(TOP)/integration-tests/target/surefire-reports

DEMO_KERNEL ?= 6.1.0-56-amd64
demo: modules agent
	$(NEED_JDK)
	$(TOP)/scripts/demo.sh $(BUILD) $(DEMO_KERNEL)

# make bench: issue 11 comparison (all modes, rate sweep, trains, verdict);
# PROFILE=paper the paper's matrix alone, PROFILE=quick its < 10 min version;
# BENCH_KERNEL picks the guest kernel.
PROFILE ?= full
BENCH_KERNEL ?= $(firstword $(KERNELS))
bench: modules agent
	$(NEED_JDK)
	$(TOP)/scripts/bench.sh $(BUILD) $(BENCH_KERNEL) $(PROFILE)

# Soak per kernel: SOAK_CYCLES load/unload cycles, SOAK_TOGGLES mode/freq_ctl
# writes, under traffic (docs/testing.md). Not part of `make test`.
SOAK_CYCLES ?= 200
SOAK_TOGGLES ?= 1000
SOAK_KERNELS ?= $(KERNELS)
soak: modules agent
	$(NEED_JDK)
	$(TOP)/scripts/soak.sh $(SOAK_CYCLES) $(SOAK_TOGGLES) $(SOAK_KERNELS)

# Telemetry read-path JMH benchmark and agent CPU/RSS (docs/telemetry.md).
bench-telemetry:
	$(TOP)/scripts/bench-telemetry.sh

# The paper's softIRQ competition (docs/bench/compete.md); not in make test.
COMPETE_DIR ?= $(BUILD)/bench/compete
bench-compete: modules agent
	$(NEED_JDK)
	$(TOP)/scripts/bench-compete.sh $(COMPETE_DIR) $(BENCH_KERNEL)

# Packages: version from debian/changelog; DEB_VERSION builds a higher one.
DEB_DIR := $(BUILD)/deb
# The systemd-guest tests of the packages (install, service, upgrade, purge)
# on a 6.1 and the 6.12 (make test runs them on the 6.12 only).
deb-test: modules unit-test
	$(NEED_JDK)
	$(TOP)/packaging/build-deb.sh $(AGENT_JAR) $(DEB_DIR)
	cd $(TOP) && $(MVN) -pl integration-tests test -Deekbp.packaging=true \
		-Dtest='dev.eekbp.it.packaging.**,dev.eekbp.it.foundation.SystemdGuest*' \
		-Dsurefire.failIfNoSpecifiedTests=false \
		-Deekbp.kernels="$(KERNELS)" -Deekbp.root=$(TOP)

deb: agent
	$(TOP)/packaging/build-deb.sh $(AGENT_JAR) $(DEB_DIR) $(DEB_VERSION)

# Prometheus alert rules: syntax and the unit tests of their expressions.
monitoring-check:
	@command -v promtool >/dev/null || { echo "promtool missing: make deps" >&2; exit 1; }
	promtool check rules $(TOP)/monitoring/prometheus/eekbp-alerts.yml
	cd $(TOP)/monitoring/prometheus && promtool test rules eekbp-alerts.test.yml

# A real host installs the packages (DKMS builds the modules for its kernel).
install: deb
	v=$$(dpkg-parsechangelog -l $(TOP)/debian/changelog -SVersion); \
	apt-get install -y $(DEB_DIR)/eekbp_$${v}_amd64.deb $(DEB_DIR)/eekbp-dkms_$${v}_all.deb

# Stops the service (which restores the CPUs and unloads the modules) and
# removes both packages; the config stays (apt-get purge removes it too).
uninstall:
	apt-get remove -y eekbp eekbp-dkms

clean:
	rm -rf $(BUILD)/obj $(BUILD)/modules
	cd $(TOP) && $(MVN) clean
