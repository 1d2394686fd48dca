#!/usr/bin/env bash
# Installs the AWS Session Manager plugin, which `aws ssm start-session` (scripts/db-tunnel.sh) runs,
# from AWS's official Debian/Ubuntu package at a pinned version:
#   docs: https://docs.aws.amazon.com/systems-manager/latest/userguide/install-plugin-debian-and-ubuntu.html
#   package: https://s3.amazonaws.com/session-manager-downloads/plugin/<version>/ubuntu_64bit/session-manager-plugin.deb
# AWS publishes no checksum for the package, only a detached GPG signature (`<package URL>.sig`,
# plugin 1.2.707.0 and later, key on the "Verify the signature of the Session Manager plugin" page).
# So: the version is pinned in the URL, the download is HTTPS-only from AWS's bucket, the installed
# binary must report that version, and once a checksum has been recorded for the pinned package,
# SESSION_MANAGER_PLUGIN_SHA256 makes any other content fail the install.
#
# Usage: SESSION_MANAGER_PLUGIN_VERSION=1.2.896.0 [SESSION_MANAGER_PLUGIN_SHA256=<hex>] scripts/ci/install-session-manager-plugin.sh
set -euo pipefail

die() { echo "install-session-manager-plugin: $*" >&2; exit 1; }

version="${SESSION_MANAGER_PLUGIN_VERSION:-}"
sha256="${SESSION_MANAGER_PLUGIN_SHA256:-}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "install-session-manager-plugin: SESSION_MANAGER_PLUGIN_VERSION must be a plugin version such as 1.2.896.0, not \"$version\"" >&2; exit 2; }
[[ -z "$sha256" || "$sha256" =~ ^[0-9a-f]{64}$ ]] || { echo "install-session-manager-plugin: SESSION_MANAGER_PLUGIN_SHA256 must be 64 lower-case hex characters" >&2; exit 2; }

installed_version() { command -v session-manager-plugin >/dev/null && session-manager-plugin --version 2>/dev/null | tr -d '[:space:]' || true; }

if [[ "$(installed_version)" == "$version" ]]; then
  echo "install-session-manager-plugin: $version already installed"
  exit 0
fi

case "$(uname -m)" in
  x86_64) platform=ubuntu_64bit ;;
  aarch64 | arm64) platform=ubuntu_arm64 ;;
  *) die "no Ubuntu package for architecture $(uname -m)" ;;
esac

url="https://s3.amazonaws.com/session-manager-downloads/plugin/$version/$platform/session-manager-plugin.deb"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
curl --fail --silent --show-error --location --proto '=https' --tlsv1.2 --max-time 120 -o "$work/session-manager-plugin.deb" "$url" || die "cannot download $url"

if [[ -n "$sha256" ]]; then
  actual="$(sha256sum "$work/session-manager-plugin.deb" | cut -d' ' -f1)"
  [[ "$actual" == "$sha256" ]] || die "checksum mismatch for $url: expected $sha256, got $actual"
fi

sudo_cmd=()
[[ "$(id -u)" -eq 0 ]] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" dpkg -i "$work/session-manager-plugin.deb" >/dev/null || die "dpkg could not install $url"

got="$(installed_version)"
[[ "$got" == "$version" ]] || die "installed plugin reports version \"$got\", expected $version"
echo "install-session-manager-plugin: installed $version ($platform)"
