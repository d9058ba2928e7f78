# Makefile - the two commands README promises, and a few more.
#   make demo           install what is missing, build, cluster corpus/
#   make test           install what is missing (Chromium too), build with -Werror,
#                       run every test
#   make test-sanitize  the same tests built with -fsanitize=address,undefined
# The real build is CMake; this file only drives it.

BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SYNDIC = $(BUILD)/src/syndic

.PHONY: all deps test-deps build demo test test-sanitize clean

all: build

deps:
	@scripts/install-deps.sh

# The tests also render the HTML report in headless Chromium.
test-deps:
	@scripts/install-deps.sh --browser

build: deps
	@cmake -S . -B $(BUILD) -DSYNDIC_WERROR=ON >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

demo: build
	@$(SYNDIC) cluster corpus/articles.jsonl --truth corpus/truth.tsv --format text \
	  -o $(BUILD)/demo-clusters.txt --stats $(BUILD)/demo-stats.json \
	  2> $(BUILD)/demo-summary.txt || { cat $(BUILD)/demo-summary.txt; exit 1; }
	@head -n 26 $(BUILD)/demo-clusters.txt
	@echo "... $$(grep -c '^story' $(BUILD)/demo-clusters.txt) stories in all:" \
	  "$(BUILD)/demo-clusters.txt (JSON stats: $(BUILD)/demo-stats.json)"
	@echo
	@cat $(BUILD)/demo-summary.txt

test: test-deps build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-sanitize: test-deps
	@cmake -S . -B $(ASAN_BUILD) -DSYNDIC_WERROR=ON -DSYNDIC_SANITIZE=ON \
	  -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS) -- --no-print-directory
	@ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
