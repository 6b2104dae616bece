# The CodeView server image: `codeview serve` (the default command) and `codeview worker`, on
# Debian 12 with the language runtimes the code sandbox runs candidates' code with.
# Built in two stages: the build stage runs deploy/build-layout.sh (the same script CI runs
# outside Docker), the runtime stage copies its layout (/opt/codeview) and installs the
# `runtime` packages of scripts/apt-packages.txt. How to run it, and what the sandbox needs
# from the container (root, capabilities, cgroups), is docs/operations.md.

# --- build: the binary and the web UI ---------------------------------------------------
FROM rust:1.95-bookworm AS build
# Node.js >= 20.19 for the web build (Debian 12's is 18), from the official image.
COPY --from=node:20-bookworm-slim /usr/local/bin/node /usr/local/bin/node
COPY --from=node:20-bookworm-slim /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
WORKDIR /src
COPY . .
ENV CARGO_TARGET_DIR=/src/target
RUN deploy/build-layout.sh /opt/codeview

# --- runtime --------------------------------------------------------------------------
FROM debian:bookworm-slim AS runtime
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
COPY scripts/apt-packages.txt /tmp/apt-packages.txt
# The sandbox's runtimes and bubblewrap (the list's `runtime` packages; Debian's versions,
# pinned by the release), tini as PID 1, curl for the health check.
# hadolint ignore=DL3008
RUN apt-get update \
    && awk '!/^[[:space:]]*#/ && $2 == "runtime" {print $1}' /tmp/apt-packages.txt \
       | xargs apt-get install -y --no-install-recommends ca-certificates curl tini \
    && rm -rf /var/lib/apt/lists/* /tmp/apt-packages.txt
# Node.js for candidates' JavaScript, where the runner looks for it (under /usr, not
# /usr/local, which the sandbox hides).
COPY --from=node:20-bookworm-slim /usr/local/bin/node /usr/bin/node
COPY --from=build /opt/codeview /opt/codeview

# The server runs as this unprivileged user. `codeview worker` (and a server that runs code
# itself) runs as root instead, which the sandbox needs to drop each run to its own uid;
# see docs/operations.md.
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/codeview --create-home codeview
USER 10001:10001
WORKDIR /var/lib/codeview

ENV CODEVIEW_ADDR=0.0.0.0:8080 \
    CODEVIEW_WEB_DIR=/opt/codeview/share/codeview/web \
    CODEVIEW_LOG_FORMAT=json
EXPOSE 8080
# SIGTERM drains (readiness 503 for --drain-secs, sockets closed with 1012, runs finish).
STOPSIGNAL SIGTERM
# For `serve` (a worker has no HTTP port: turn it off there, as docker-compose.yml does).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/api/health/live"]
ENTRYPOINT ["/usr/bin/tini", "--", "/opt/codeview/bin/codeview"]
CMD ["serve"]
