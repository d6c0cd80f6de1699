#!/usr/bin/env bash
# Makes the Gradescope autograder zip from this checkout's committed files:
#   setup.sh, run_autograder, and the course in course/.
# Usage: docs/grading/gradescope/make_autograder.sh [OUTPUT.zip]   (default: autograder.zip)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
output=${1:-autograder.zip}
case "$output" in /*) ;; *) output="$PWD/$output" ;; esac
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

cp "$here/setup.sh" "$here/run_autograder" "$stage/"
mkdir "$stage/course"
git -C "$root" archive HEAD | tar -x -C "$stage/course"
rm -f "$output"
# -y stores the lessons' links to earlier days' exercises
# (Lessons/Day04/Day01Exercises.swift -> ../Day01/Exercises.swift) as links:
# without it zip stores copies of the stubs, and a later day would grade the
# student's earlier answers as not attempted.
(cd "$stage" && zip -qry "$output" .)
echo "wrote $output: upload it as the assignment's autograder (Ubuntu 22.04 base image)"
