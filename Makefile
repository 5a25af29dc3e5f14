# Two commands set up everything on a fresh machine: `make serve` and `make test`.
# Each target installs only what is missing and skips what is already there.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

PORT ?= 8080
WASM_BINDGEN_VERSION = $(shell awk -F'"' '/^name = "wasm-bindgen"$$/ {getline; print $$2; exit}' Cargo.lock)

.PHONY: all pkg test serve bench fuzz setup setup-rust setup-npm setup-chromium \
	test-rust test-wasm test-js test-node test-browser test-workerd test-www test-edge test-interop setup-python lint clean

all: pkg

# ---- set-up (idempotent) -------------------------------------------------------------
setup: setup-rust setup-npm

setup-rust: Cargo.lock
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
		|| rustup target add wasm32-unknown-unknown
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WASM_BINDGEN_VERSION)" ]; then \
		echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (about 6 minutes cold)"; \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; \
	fi

Cargo.lock: Cargo.toml
	cargo generate-lockfile
	@touch $@

setup-npm: node_modules/.package-lock.json

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

setup-chromium:
	@command -v chromium >/dev/null || { apt-get update && apt-get install -y chromium; }

# PyJWT, the Python peer of the interoperability matrix, in a venv under target/.
VENV := target/venv
setup-python: $(VENV)/.installed

$(VENV)/.installed: tests/interop/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/interop/requirements.txt
	@touch $@

# ---- the npm package ---------------------------------------------------------------
pkg: setup
	scripts/build-pkg.sh

# ---- tests -------------------------------------------------------------------------
test: pkg setup-chromium lint test-rust test-wasm test-js test-www test-edge test-interop
	@echo "make test: all suites passed"

test-rust:
	cargo test --workspace --all-targets

test-wasm: setup-rust
	scripts/test-wasm.sh

# Every JS suite against the packed package: Node (ESM, CJS), Chromium, workerd, asymmetric
# keys, remote JWK Sets.
test-js: pkg setup-chromium
	node --test tests/js/

test-node: pkg
	node --test tests/js/node.test.mjs

test-browser: pkg setup-chromium
	node --test tests/js/browser.test.mjs

test-workerd: pkg
	node --test tests/js/workerd.test.mjs

test-www: pkg setup-chromium
	node --test tests/www/

test-edge: pkg
	node --test tests/edge/

test-interop: pkg setup-python
	node --test tests/interop/

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --workspace --all-targets --no-default-features -- -D warnings

# ---- serve, bench, fuzz ------------------------------------------------------------
serve: pkg
	node www/serve.mjs --port $(PORT)

bench: pkg
	node bench/run.mjs

# Every cargo-fuzz target for 10 minutes, one at a time (crashes go to fuzz/regressions/,
# which `cargo test` replays).
fuzz:
	fuzz/run.sh all 600

clean:
	rm -rf pkg target/pkg-build
