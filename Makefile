# Thin wrapper around meson. `make run` and `make test` are the whole quick start.
BUILDDIR  ?= _build
TESTDIR   ?= _build-test
BENCHDIR  ?= _build-bench
MESON     ?= meson

# Debian 12 packages for building, running and testing everything.
DEBS = build-essential meson ninja-build pkg-config gettext libglib2.0-dev \
       libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libsqlite3-dev \
       libpq-dev libxlsxwriter-dev libhpdf-dev libssl-dev libsecret-1-dev libzip-dev \
       libxml2-dev libxtst-dev glib-networking postgresql postgresql-contrib xvfb xauth dbus \
       desktop-file-utils appstream fonts-dejavu-core poppler-utils imagemagick \
       appstream-util libclang-rt-14-dev openssl ca-certificates wrk

# CI runs the suite under AddressSanitizer + UndefinedBehaviorSanitizer.
ifeq ($(CI),true)
SANITIZE ?= address,undefined
endif
SANITIZE ?= none

.PHONY: all deps build run test bench server clean screenshot

all: build

deps:
	@missing=""; for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	echo "Paquets manquants :$$missing"; \
	if [ "$$(id -u)" = 0 ]; then \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
	  sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	else \
	  echo "Run as root: apt-get install -y$$missing"; exit 1; \
	fi

$(BUILDDIR)/build.ninja:
	$(MESON) setup $(BUILDDIR) -Ddevelopment=true

build: deps $(BUILDDIR)/build.ninja
	$(MESON) compile -C $(BUILDDIR)

# The app on its embedded local replica, with its schema and resources from the build tree.
# Without a session bus (a bare X server, a root console) one is started for the app.
run: build
	@if [ -z "$${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v dbus-run-session >/dev/null; then \
	  wrap="dbus-run-session --"; else wrap=""; fi; \
	GSETTINGS_SCHEMA_DIR=$(CURDIR)/$(BUILDDIR)/data $$wrap $(BUILDDIR)/app/alforis-crm $(ARGS)

$(TESTDIR)/build.ninja:
	$(MESON) setup $(TESTDIR) -Ddevelopment=true -Db_sanitize=$(SANITIZE) -Db_lundef=false

test: deps $(TESTDIR)/build.ninja
	$(MESON) configure $(TESTDIR) -Db_sanitize=$(SANITIZE)
	$(MESON) compile -C $(TESTDIR)
	$(MESON) test -C $(TESTDIR) --print-errorlogs --num-processes 2 $(TESTS)

$(BENCHDIR)/build.ninja:
	$(MESON) setup $(BENCHDIR) --buildtype=release -Ddevelopment=true -Dtests=true

bench: deps $(BENCHDIR)/build.ninja
	$(MESON) compile -C $(BENCHDIR)
	$(MESON) test -C $(BENCHDIR) --benchmark --verbose --timeout-multiplier 0

# A throwaway PostgreSQL and the server on https://127.0.0.1:8443 (development certificate).
server: build
	tests/tools/dev-server.sh $(BUILDDIR)

clean:
	rm -rf $(BUILDDIR) $(TESTDIR) $(BENCHDIR)
