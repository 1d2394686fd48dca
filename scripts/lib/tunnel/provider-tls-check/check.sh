#!/usr/bin/env bash
# Manual check (not part of `npm test`: it needs Go and Debian's Go packages) that the admin path gives
# the mysql provider verified TLS: the Go MySQL driver, dialing the RDS-style name through
# scripts/lib/tunnel/socksForward.ts, trusts a CA only through SSL_CERT_DIR and checks the server name.
#   apt-get install golang-go golang-github-go-sql-driver-mysql-dev golang-golang-x-net-dev mariadb-server
#   scripts/lib/tunnel/provider-tls-check/check.sh     # exit 0 when all four cases behave
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

name=catalyst-prod-db.c0ffee12ab.eu-west-1.rds.amazonaws.com
GO111MODULE=off GOPATH=/usr/share/gocode go build -o "$work/check" "$here/main.go"

mkdir -p "$work/ca" "$work/data"
openssl ecparam -name prime256v1 -genkey -noout -out "$work/ca.key"
openssl req -x509 -new -key "$work/ca.key" -out "$work/ca/test-rds-ca.pem" -days 2 -subj "/CN=Test RDS CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
leaf() {
  openssl ecparam -name prime256v1 -genkey -noout -out "$work/$2.key"
  openssl req -new -key "$work/$2.key" -out "$work/$2.csr" -subj "/CN=$1" 2>/dev/null
  printf "subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n" "$1" >"$work/$2.ext"
  openssl x509 -req -in "$work/$2.csr" -CA "$work/ca/test-rds-ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
    -out "$work/$2.pem" -days 2 -extfile "$work/$2.ext" 2>/dev/null
}
leaf "$name" good
leaf other.example.com wrong

root=(); [[ "$(id -u)" == 0 ]] && root=(--user=root)
mariadb-install-db --no-defaults "${root[@]}" --datadir="$work/data" --skip-test-db --auth-root-authentication-method=socket >/dev/null
db_port=$((20000 + RANDOM % 20000)); socks_port=$((db_port + 1))
start_db() {
  mariadbd --no-defaults "${root[@]}" --datadir="$work/data" --socket="$work/s.sock" --port="$db_port" --bind-address=127.0.0.1 \
    --skip-name-resolve --pid-file="$work/db.pid" --log-error="$work/err.log" --ssl-ca="$work/ca/test-rds-ca.pem" \
    --ssl-cert="$work/$1.pem" --ssl-key="$work/$1.key" --require-secure-transport=ON --innodb-buffer-pool-size=32M --performance-schema=OFF &
  db_pid=$!; pids+=("$db_pid")
  for _ in $(seq 1 100); do mariadb --no-defaults -uroot --socket="$work/s.sock" -e "select 1" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "mariadb did not start" >&2; return 1
}
start_db good
mariadb --no-defaults -uroot --socket="$work/s.sock" -e "CREATE USER 'dbadmin'@'%' IDENTIFIED BY 'pw-Test_123' REQUIRE SSL"
node "$repo/scripts/ts.js" "$repo/scripts/lib/tunnel/socksForward.ts" --listen "127.0.0.1:$socks_port" --allow "$name:3306" --forward "127.0.0.1:$db_port" 2>"$work/socks.log" &
pids+=("$!")
sleep 1.5

failures=0
expect() { # description, expected output prefix, command...
  local what="$1" want="$2"; shift 2
  local got; got="$("$@" 2>&1 || true)"
  if [[ "$got" == "$want"* ]]; then echo "ok   $what: $got"; else echo "FAIL $what: $got (wanted $want...)"; failures=$((failures + 1)); fi
}
check() { "$work/check" "$1:3306" dbadmin pw-Test_123 "socks5://127.0.0.1:$socks_port"; }
trusting() { SSL_CERT_DIR="$work/ca:/etc/ssl/certs" "$@"; }
expect "RDS CA added through SSL_CERT_DIR, database dialed by name" "OK Ssl_version TLSv1." trusting check "$name"
expect "RDS CA not trusted" "ERROR: x509: certificate signed by unknown authority" check "$name"
expect "any other destination" "ERROR: socks connect" trusting check 127.0.0.1
kill "$db_pid"; wait "$db_pid" 2>/dev/null || true
start_db wrong
expect "server certificate for another name" "ERROR: x509: certificate is valid for other.example.com" trusting check "$name"
exit "$failures"
