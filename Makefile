# dokku-rs — build, install, test, benchmark.
PREFIX ?= /usr
DESTDIR ?=
CARGO ?= cargo
# Release binaries link the C library statically: a static program starts in less time than
# a dynamic /bin/true, and every command and trigger is a program start (docs/performance.md).
# With an explicit --target, the flag reaches only our binaries, not build-time proc macros.
HOST := $(shell rustc -vV 2>/dev/null | sed -n 's/^host: //p')
BIN_DIR ?= $(CURDIR)/target/$(HOST)/release
export PREFIX DESTDIR BIN_DIR

# Runtime packages the installed system needs (the entry point switches users with sudo,
# plugn installs plugins with git, and the rc files are bash).
RUNTIME_DEBS := sudo git bash curl openssh-client

.PHONY: all build deps install uninstall test bench lint clean

all: build

build:
	RUSTFLAGS="$(RUSTFLAGS) -C target-feature=+crt-static" \
		$(CARGO) build --release --workspace --bins --target $(HOST)

# Only a root install on a Debian-like system installs packages; DESTDIR builds never do.
deps:
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		missing=""; for p in $(RUNTIME_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
		if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi; \
	fi

install: deps build
	python3 packaging/install.py
	@if [ -z "$(DESTDIR)" ]; then $(PREFIX)/bin/dokku version; fi

uninstall:
	python3 packaging/install.py --uninstall

test:
	bash tests/run

bench:
	bash tests/bench/run

lint:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

clean:
	$(CARGO) clean
