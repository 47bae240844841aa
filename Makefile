# mpathfs — see README.md.
#   make          build bin/mpathfs (the shaded jar underneath)
#   make demo     mount the embedded default at /mnt/mpath0 (Ctrl-C unmounts)
#   make test     every test CI runs
#   make bench    fio: mpathfs vs the raw paths (not part of make test)
#   make lab-test the real-target lab (qemu guest + LIO)
#   make test-under-load   make test 3 times in a row with every core busy (stress-ng)

SHELL    := /bin/bash
MVN      ?= mvn
MVNFLAGS ?= -B -q -Dstyle.color=never
JAR      := fuse-dev/target/mpathfs.jar
RUNTIME_DEPS := libfuse2 fuse sg3-utils fio util-linux linux-libc-dev fence-agents
LAB_DEPS     := qemu-system-x86 busybox-static kmod open-iscsi iptables

.PHONY: all build deps demo test unit-test lab-test test-under-load bench soak clean

all: build

deps:
	@scripts/ensure-deps.sh $(RUNTIME_DEPS)

# Maven fetches its dependencies on the first run; later runs work offline.
build: deps
	$(MVN) $(MVNFLAGS) -DskipTests package
	@test -x bin/mpathfs

$(JAR):
	$(MAKE) build

demo: build
	bin/mpathfs demo $(DEMO_ARGS)

# Unit and mount tests (real FUSE mounts, loop devices, dd/fio as clients).
unit-test: deps
	$(MVN) $(MVNFLAGS) verify 2>&1 | tee target-test.log; \
	  status=$${PIPESTATUS[0]}; scripts/test-summary.sh; exit $$status

# The real-target lab: a qemu guest with LIO (lab/README.md). Fails loudly if it cannot start.
lab-test: build
	@scripts/ensure-deps.sh $(LAB_DEPS)
	lab/lab-test.sh

test: unit-test lab-test
	@scripts/test-summary.sh

# The tests must hold on a loaded machine: make test TIMES times (default 3) with stress-ng keeping
# every core busy; one line per run, logs in target-test-under-load-N.log. Not part of make test.
TIMES ?= 3
test-under-load: deps
	@scripts/ensure-deps.sh stress-ng
	TIMES=$(TIMES) scripts/test-under-load.sh

# fio against the mount and the raw paths, interleaved; writes BENCHMARKS.md. Not part of make test.
bench: build
	python3 bench/bench.py

# The deterministic simulation of the PR coordinator against a single-device oracle, with more
# seeds than make test gives it (README, "Deterministic simulation").
# make soak SEEDS=N [FIRST_SEED=S]; one seed, with its whole trace: make soak SEED=S
# [DST_FLAGS="-DdstCommands=true -DdstLog=true"]
SEEDS      ?= 20000
FIRST_SEED ?= 1
soak: deps
	$(MVN) $(MVNFLAGS) -pl control -am test -Dtest=SimulationTest \
	  -Dsurefire.failIfNoSpecifiedTests=false -Dseeds=$(SEEDS) -DfirstSeed=$(FIRST_SEED) \
	  $(if $(SEED),-Dseed=$(SEED) -DnoShrink=true) $(DST_FLAGS)

clean:
	$(MVN) $(MVNFLAGS) clean
	rm -f target-test.log
