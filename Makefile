# MaxIOFS: the user's whole interface. `make run` and `make test` work on a fresh Debian 12
# machine as root or with sudo: they install what is missing, build, then run or test.
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
DATA_DIR ?= ./data
CMAKE_FLAGS ?=
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo Ninja || echo "Unix Makefiles")
JOBS ?= $(shell nproc)
CTEST_FLAGS ?= --output-on-failure --timeout 1500
# Line tables only (-g1): backtraces, perf and sanitizer reports keep file:line, and the
# Beast-heavy translation units compile a third faster than with full -g.
RELEASE_FLAGS := -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
FUZZ_DIR ?= build-fuzz
# Seconds each libFuzzer harness runs in `make fuzz` (`make test` runs each for 20 s).
FUZZ_SECONDS ?= 600
# Harnesses run at once by `make fuzz` (one core each).
FUZZ_JOBS ?= 1
# clang-16 with libFuzzer (Debian's clang-16 and libfuzzer-16-dev); -O1: fast enough to fuzz,
# quick to build cold; assertions stay on.
FUZZ_FLAGS := -DCMAKE_C_COMPILER=clang-16 -DCMAKE_CXX_COMPILER=clang++-16 -DMAXIOFS_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1"
ASAN_FLAGS := -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g1" -DCMAKE_C_FLAGS_DEBUG="-g1" -DMAXIOFS_SANITIZE=ON -DMAXIOFS_BENCH=OFF -DMAXIOFS_CONSOLE_WEB=OFF

.PHONY: all deps deps-build build run test unit-test asan-test fuzz-build fuzz fuzz-smoke bench format clean package image

all: build

deps:
	@bash scripts/install-deps.sh test

deps-build:
	@bash scripts/install-deps.sh build

build: deps-build
	@test -f $(BUILD_DIR)/CMakeCache.txt || cmake -S . -B $(BUILD_DIR) -G "$(GENERATOR)" $(RELEASE_FLAGS) $(CMAKE_FLAGS)
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(BUILD_DIR)/maxiofs server --data-dir $(DATA_DIR)

# Every test: unit tests and integration tests (release build), then the unit tests again
# under AddressSanitizer + UndefinedBehaviorSanitizer, then every fuzz harness for 20 s.
test: deps build
	cd $(BUILD_DIR) && ctest $(CTEST_FLAGS) -j 2
	$(MAKE) asan-test
	$(MAKE) fuzz-smoke

asan-test: deps-build
	@test -f $(ASAN_DIR)/CMakeCache.txt || cmake -S . -B $(ASAN_DIR) -G "$(GENERATOR)" $(ASAN_FLAGS) $(CMAKE_FLAGS)
	cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && ctest $(CTEST_FLAGS) -L unit -j 2

# The libFuzzer harnesses of fuzz/ (a clang build of only them and the parsers they call).
fuzz-build: deps-build
	@test -f $(FUZZ_DIR)/CMakeCache.txt || cmake -S . -B $(FUZZ_DIR) -G "$(GENERATOR)" $(FUZZ_FLAGS)
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzzers

# Each harness for FUZZ_SECONDS, FUZZ_JOBS at a time (fuzz/README.md).
fuzz: fuzz-build
	bash fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_JOBS)

# Each harness for 20 s over its corpus, two at a time: a regression shows in `make test`.
fuzz-smoke: fuzz-build
	bash fuzz/run.sh $(FUZZ_DIR) 20 2

# A .deb and an .rpm of the release build, in $(BUILD_DIR)/packages (see docs/operations.md).
package: build
	bash packaging/build-packages.sh $(BUILD_DIR) $(BUILD_DIR)/packages

# The container image (Dockerfile), tagged maxiofs:latest.
image:
	podman build --format docker -t maxiofs:latest .

bench: build
	@bash scripts/install-deps.sh bench
	bash bench/run_all.sh $(BUILD_DIR)

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR)
