# completion-sidecar image: `scripts/build-image` (docker or podman build where an engine runs,
# else buildah; README, "Installing in Kubernetes").
#
# The build stage builds the binary with scripts/setup, the very script CI runs (.ci/run ->
# scripts/test -> scripts/setup), with the tests left out of the configuration. The runtime stage
# installs exactly the Debian packages that own the shared libraries `ldd` lists for the binary,
# plus ca-certificates, so that https:// URLs (Feldera's API server, HTTPS pipelines) verify.
# scripts/check-dockerfile checks that on the binary CI built; CI also builds the image and runs
# it in front of the simulator (scripts/test, stage image).

FROM debian:12 AS build
WORKDIR /src
COPY . .
RUN SETUP_TARGETS=completion-sidecar SETUP_CMAKE_OPTIONS=-DSIDECAR_BUILD_TESTS=OFF scripts/setup \
 && rm -rf /var/lib/apt/lists/*
# Debug information stays out of the image; the libraries it links are unchanged.
RUN strip --strip-debug build/completion-sidecar

FROM debian:12-slim
LABEL org.opencontainers.image.title="completion-sidecar" \
      org.opencontainers.image.description="Feldera's completion_status API beside the pipelines" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="docker.io/library/debian:12-slim"
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libbrotli1 libc6 libcpprest2.10 libfmt9 libgcc-s1 libprometheus-cpp-core1.0 libspdlog1.10 \
      libssl3 libstdc++6 libyaml-cpp0.7 zlib1g ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/completion-sidecar /usr/local/bin/completion-sidecar
# The chart's runAsUser; numeric, so that runAsNonRoot can verify it without an /etc/passwd entry.
USER 65532:65532
EXPOSE 8081 9091
ENTRYPOINT ["/usr/local/bin/completion-sidecar"]
