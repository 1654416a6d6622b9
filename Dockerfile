# A minimal static kspm image: the musl binary alone on scratch (no CA roots or libc:
# kspm never uses the network). Helm charts need `helm` on PATH to be rendered;
# use the `ci` target, or lint rendered output (`helm template ... | kspm lint -`).
#
#   docker build -t kspm .                  # scratch: docker run --rm -v "$PWD:/src" kspm lint .
#   docker build --target ci -t kspm:ci .   # alpine with a shell, for CI jobs (GitLab KSPM_IMAGE)
#
# Note: this image is not built by this project's CI: its machines reach package
# registries only, not a container registry, so base images cannot be pulled there.
FROM rust:1-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY rules rules
COPY docs docs
RUN cargo build --release --locked --target x86_64-unknown-linux-musl \
 && cp target/x86_64-unknown-linux-musl/release/kspm /kspm \
 && /kspm --version

FROM alpine:3 AS ci
COPY --from=build /kspm /usr/local/bin/kspm
WORKDIR /src
CMD ["kspm", "lint", "."]

FROM scratch
COPY --from=build /kspm /kspm
WORKDIR /src
ENTRYPOINT ["/kspm"]
CMD ["lint", "."]
