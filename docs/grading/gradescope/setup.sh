#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image (Ubuntu 22.04).
# It installs the Swift toolchain (unless one is already on PATH) and builds
# the course and its tests once, so that grading a submission only rebuilds
# the student's exercise files.
#
# The autograder zip (made by make_autograder.sh) holds this script,
# run_autograder and the course itself in course/.
set -euo pipefail

SWIFT_VERSION=${SWIFT_VERSION:-6.3.1}
AUTOGRADER=${AUTOGRADER_ROOT:-/autograder}
COURSE=${COURSE_DIR:-$AUTOGRADER/source/course}

if ! command -v swift >/dev/null; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        binutils ca-certificates curl git gnupg2 libc6-dev libcurl4-openssl-dev libedit2 \
        libgcc-11-dev libpython3-dev libsqlite3-0 libstdc++-11-dev libxml2-dev libncurses-dev \
        libz3-dev pkg-config python3 tzdata unzip zlib1g-dev
    name="swift-$SWIFT_VERSION-RELEASE-ubuntu22.04"
    curl -fsSL "https://download.swift.org/swift-$SWIFT_VERSION-release/ubuntu2204/swift-$SWIFT_VERSION-RELEASE/$name.tar.gz" \
        | tar -xz -C /opt
    ln -sf "/opt/$name/usr/bin/"* /usr/local/bin/
fi
swift --version

cd "$COURSE"
swift build --build-tests
