# CodeView — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export CARGO_TARGET_DIR ?= $(CURDIR)/target
BIN_RELEASE := $(CARGO_TARGET_DIR)/release/codeview
BIN_DEBUG := $(CARGO_TARGET_DIR)/debug/codeview
ADDR ?= 127.0.0.1:8080

.PHONY: help deps web build run test test-rust test-web attacks interop e2e lint deploy-check fmt api-types bench clean

help:
	@echo "make run    install what is missing, build, start CodeView on http://$(ADDR) (SQLite)"
	@echo "make test   everything: lint, Rust tests (SQLite + PostgreSQL), web unit tests, Yjs interop, browser e2e"
	@echo "make bench  benchmarks (numbers go to docs/benchmarks.md)"
	@echo "make lint   rustfmt --check, clippy -D warnings, no module circles, web types match the API, tsc, eslint, prettier --check, deploy-check"

deps:
	@scripts/install-deps.sh

web: deps
	cd web && npm run build

build: web
	cargo build --release -p codeview

run: build
	$(BIN_RELEASE) serve --addr $(ADDR)

lint: deps
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	python3 scripts/module-cycles.py crates/server/src crates/collab/src crates/runner/src crates/loadgen/src
	cargo build -p codeview --locked
	scripts/api-types.sh --check
	cd web && npm run typecheck
	cd web && npm run lint
	$(MAKE) --no-print-directory deploy-check

# The deployment files validated without a Docker engine (hadolint, the compose schema,
# kubernetes-validate, caddy validate, yamllint), and the image's layout built outside Docker
# by the Dockerfile's own script and started as the containers start (deploy/check.sh).
deploy-check: deps
	deploy/check.sh

fmt:
	cargo fmt --all

# The web's wire types (web/src/api/schema.d.ts), generated from the server's OpenAPI document;
# `make lint` fails while they differ from what the server says.
api-types: deps
	cargo build -p codeview --locked
	scripts/api-types.sh

# The attack suite runs one test at a time: its attacks load the machine on purpose, and
# several measure time or look for leftover sandbox processes, which a neighbour's load or
# runs would disturb (it takes ~2 min alone). Every other test target runs as usual.
test-rust: deps
	cargo test --workspace --locked --no-fail-fast --exclude codeview
	cargo test -p codeview --locked --no-fail-fast --lib --bins --test api
	$(MAKE) --no-print-directory attacks

# The attack suite alone (test-rust runs it too): every attack of docs/security.md, rerun.
attacks: deps
	cargo test -p codeview --test attacks --locked --no-fail-fast -- --test-threads=1

test-web: deps
	cd web && npm test

# The real npm Yjs client (yjs + y-websocket) against the real binary, SQLite and PostgreSQL.
interop: deps
	cargo build -p codeview --locked
	cd crates/server/tests/yjs-interop && CODEVIEW_BIN=$(BIN_DEBUG) npm test

# Browser tests against the real binary (debug build: same code, faster to build).
e2e: web
	cargo build -p codeview --locked
	cd web && CODEVIEW_BIN=$(BIN_DEBUG) npm run e2e

test: lint test-rust test-web interop e2e
	@echo "make test: all suites passed"

bench: deps
	cargo run --release -p codeview-runner --example bench
	cargo run --release -p codeview-collab --example live_doc_costs
	bench/run-collab-bench.sh

clean:
	cargo clean
	rm -rf web/dist web/node_modules
