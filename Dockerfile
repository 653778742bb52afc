# completion-sidecar image: a build stage with Debian 12's -dev packages, and a runtime stage with
# only the shared libraries the binary links (from `ldd build/completion-sidecar`).

FROM debian:12 AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends cmake g++ make libcpprest-dev libssl-dev \
      libyaml-cpp-dev prometheus-cpp-dev libspdlog-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY src ./src
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSIDECAR_BUILD_TESTS=OFF \
 && cmake --build build -j"$(nproc)" --target completion-sidecar

FROM debian:12-slim
LABEL org.opencontainers.image.title="completion-sidecar" \
      org.opencontainers.image.description="Feldera completion-status API beside the pipeline" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN apt-get update \
 && apt-get install -y --no-install-recommends libbrotli1 libcpprest2.10 libfmt9 \
      libprometheus-cpp-core1.0 libspdlog1.10 libssl3 libstdc++6 libyaml-cpp0.7 zlib1g \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/completion-sidecar /usr/local/bin/completion-sidecar
USER 65532:65532
EXPOSE 8081
ENTRYPOINT ["/usr/local/bin/completion-sidecar"]
