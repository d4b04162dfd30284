# Entry points: `make demo`, `make test`, `make bench`. Each runs the idempotent setup first.
# The real build is CMake; this file only chains setup, configure, build and run.
MAKEFLAGS += --no-print-directory
JOBS ?= 2
BUILD ?= build
ASAN_BUILD ?= build-asan
CMAKE_FLAGS ?=

.PHONY: all setup build build-asan build-release demo test test-fast bench fuzz format format-check clean

all: build

setup:
	@bash scripts/setup.sh

build: setup
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

build-asan: setup
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DEIC_ASAN=ON -DEIC_UBSAN=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)

demo: build
	@./$(BUILD)/eic demo --out out --db out/eic.db

# The whole suite: the format check, a Release compile (-O3 warnings are errors too, and
# `make bench` builds that way), then every test in the normal build (valgrind runs included)
# and again under ASan+UBSan.
test: format-check build-release build build-asan
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j$(JOBS)

test-fast: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

build-release: setup
	@cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DEIC_TESTS=OFF >/dev/null
	@cmake --build build-release -j$(JOBS)

bench: build-release
	@bash bench/run.sh build-release

FORMAT_FILES = include/eic/*.h src/*/*.c src/*/*/*.c src/*/*.h src/*/*/*.h tests/unit/*.c \
	tests/unit/*.h tests/unit/*/*.c tests/header/*.c fuzz/*.c bench/*.c

format-check: setup
	@clang-format --dry-run --Werror $(FORMAT_FILES) && echo "format-check: clang-format clean"

format:
	@clang-format -i $(FORMAT_FILES)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-release out
