#!/usr/bin/env bash
# The house style (.swift-format: 4-space indent, line length 120), checked as CI checks it.
# Fix what it reports with: swift format format -i -r --parallel Sources Tests Package.swift
set -euo pipefail
cd "$(dirname "$0")/.."
swift format lint --strict --parallel -r Sources Tests Package.swift
