#!/usr/bin/env bash
# The admin path to a stack's private database, for `pulumi up` (user and grant management) and for
# operators. Nothing about the database is public: the path is
#
#   mysql provider ──SOCKS5──▶ 127.0.0.1:13306 (scripts/lib/tunnel/socksForward.ts: only the DB's name)
#                 ──▶ 127.0.0.1:13307 (aws ssm start-session, AWS-StartPortForwardingSessionToRemoteHost)
#                 ──SSM──▶ admin host (no inbound rule, no public IP) ──▶ RDS endpoint:3306
#
# The provider dials the database by its real DNS name through the SOCKS proxy, so TLS is verified
# against that name; the RDS CA bundle is added to the trust store of the provider (Go) through
# SSL_CERT_DIR, which `start` and `env` print (and append to $GITHUB_ENV in GitHub Actions).
#
# Usage: scripts/db-tunnel.sh start|stop|status|env --stack <name> [options]
set -euo pipefail

readonly REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly FORWARDER="$REPO_ROOT/scripts/lib/tunnel/socksForward.ts"

usage() {
  cat <<'USAGE'
usage: scripts/db-tunnel.sh <command> --stack <name> [options]

commands:
  start    open the tunnel (idempotent) and print the environment `pulumi up` needs
  stop     close the tunnel (idempotent)
  status   exit 0 if the tunnel is up, 3 if it is down
  env      print `export SSL_CERT_DIR=...` for the RDS CA of a started tunnel

options:
  --stack <name>         Pulumi stack whose outputs name the database and admin host (required)
  --ca-bundle <file>     RDS CA bundle (PEM) to trust; default: download the region's bundle from
                         https://truststore.pki.rds.amazonaws.com (or set RDS_CA_BUNDLE)
  --forward-port <port>  local port of the SSM session (default: the SOCKS port + 1)
  --db-host <host>       another RDS endpoint in the stack's VPC instead of the stack's database,
                         e.g. a copy restored by a restore test (its name ends in .rds.amazonaws.com);
                         one tunnel per stack: stop the running one before switching databases
  --timeout <seconds>    how long to wait for each end of the tunnel (default 45)
  -h, --help             this text

environment: CATALYST_TUNNEL_DIR (state directory root), NODE (node binary), AWS_PROFILE/AWS_REGION as usual
USAGE
}

die() { echo "db-tunnel: $*" >&2; exit 1; }
usage_error() { echo "db-tunnel: $*" >&2; usage >&2; exit 2; }

command="${1:-}"
[[ "$command" == "-h" || "$command" == "--help" ]] && { usage; exit 0; }
case "$command" in
  start | stop | status | env) shift ;;
  "") usage_error "missing command" ;;
  *) usage_error "unknown command \"$command\"" ;;
esac

stack=""
ca_bundle="${RDS_CA_BUNDLE:-}"
forward_port=""
db_host_override=""
timeout=45
while [[ $# -gt 0 ]]; do
  case "$1" in
    --stack) [[ $# -ge 2 ]] || usage_error "--stack needs a value"; stack="$2"; shift 2 ;;
    --ca-bundle) [[ $# -ge 2 ]] || usage_error "--ca-bundle needs a value"; ca_bundle="$2"; shift 2 ;;
    --forward-port) [[ $# -ge 2 ]] || usage_error "--forward-port needs a value"; forward_port="$2"; shift 2 ;;
    --db-host) [[ $# -ge 2 ]] || usage_error "--db-host needs a value"; db_host_override="$2"; shift 2 ;;
    --timeout) [[ $# -ge 2 ]] || usage_error "--timeout needs a value"; timeout="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option \"$1\"" ;;
  esac
done
[[ -n "$stack" ]] || usage_error "--stack is required"
[[ "$stack" =~ ^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+){0,2}$ ]] || usage_error "--stack \"$stack\" is not a stack name"
[[ -z "$forward_port" || "$forward_port" =~ ^[0-9]{1,5}$ ]] || usage_error "--forward-port must be a port number"
[[ "$timeout" =~ ^[0-9]+$ ]] || usage_error "--timeout must be a number of seconds"
[[ -z "$db_host_override" || "$db_host_override" =~ ^[a-z0-9][a-z0-9.-]*\.rds\.amazonaws\.com$ ]] || usage_error "--db-host must be an RDS endpoint name (*.rds.amazonaws.com)"

readonly state="${CATALYST_TUNNEL_DIR:-${XDG_RUNTIME_DIR:-${TMPDIR:-/tmp}}}/catalyst-db-tunnel-${stack//\//_}"
readonly ssm_pid_file="$state/ssm.pid" socks_pid_file="$state/socks.pid" ca_dir="$state/ca" target_file="$state/target"
readonly node_bin="${NODE:-node}"

alive() { [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Every background process is its own process group (set -m), so stopping it also stops its children
# (aws runs session-manager-plugin as a child, which holds the port).
stop_pid_file() {
  local file="$1" pid
  [[ -s "$file" ]] || { rm -f "$file"; return 0; }
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for_port() {
  local host="$1" port="$2" pid_file="$3" log="$4" what="$5"
  for _ in $(seq 1 $((timeout * 4))); do
    port_open "$host" "$port" && return 0
    if ! alive "$pid_file"; then
      echo "db-tunnel: $what exited; last lines of $log:" >&2
      tail -n 20 "$log" >&2 || true
      return 1
    fi
    sleep 0.25
  done
  echo "db-tunnel: $what did not listen on $host:$port within ${timeout}s (log: $log)" >&2
  return 1
}

# The stack's `dbTunnel` output: region, admin instance, database host and port, local endpoint.
read_tunnel_outputs() {
  local json fields
  json="$(pulumi stack output --json --stack "$stack")" || die "cannot read the outputs of stack \"$stack\" (pulumi login / stack select?)"
  fields="$(printf '%s' "$json" | "$node_bin" -e '
    const o = JSON.parse(require("fs").readFileSync(0, "utf8")).dbTunnel;
    if (!o) { console.error("the stack has no dbTunnel output (deploy the data tier first)"); process.exit(3); }
    console.log([o.region, o.instanceId, o.host, o.port, o.localEndpoint].join(" "));
  ')" || die "cannot use the outputs of stack \"$stack\""
  read -r region instance_id db_host db_port local_endpoint <<<"$fields"
  db_host="${db_host_override:-$db_host}"
  [[ "$region" =~ ^[a-z]{2}(-gov)?-[a-z]+-[0-9]$ ]] || die "dbTunnel.region \"$region\" is not an AWS region"
  [[ "$instance_id" =~ ^i-[0-9a-f]{8,17}$ ]] || die "dbTunnel.instanceId \"$instance_id\" is not an EC2 instance id"
  [[ "$db_host" =~ ^[A-Za-z0-9.-]+$ ]] || die "dbTunnel.host \"$db_host\" is not a host name"
  [[ "$db_port" =~ ^[0-9]{1,5}$ ]] || die "dbTunnel.port \"$db_port\" is not a port"
  [[ "$local_endpoint" =~ ^(127\.[0-9.]+|localhost):([0-9]{1,5})$ ]] || die "dbTunnel.localEndpoint \"$local_endpoint\" must be a loopback host:port"
  local_host="${local_endpoint%:*}"
  local_port="${local_endpoint##*:}"
  forward_port="${forward_port:-$((local_port + 1))}"
}

install_ca() {
  mkdir -p "$ca_dir"
  local target="$ca_dir/rds-ca-bundle.pem"
  if [[ -n "$ca_bundle" ]]; then
    [[ -r "$ca_bundle" ]] || die "CA bundle \"$ca_bundle\" is not readable"
    cp "$ca_bundle" "$target"
  elif [[ ! -s "$target" ]]; then
    command -v curl >/dev/null || die "curl is needed to download the RDS CA bundle (or pass --ca-bundle)"
    curl --fail --silent --show-error --proto '=https' --tlsv1.2 --max-time 60 \
      -o "$target" "https://truststore.pki.rds.amazonaws.com/$region/$region-bundle.pem" || die "cannot download the RDS CA bundle for $region"
  fi
  grep -q "BEGIN CERTIFICATE" "$target" || die "$target is not a PEM certificate bundle"
}

print_env() {
  [[ -s "$ca_dir/rds-ca-bundle.pem" ]] || die "no CA bundle in $ca_dir: run start first"
  # Go (the mysql provider) adds every file of SSL_CERT_DIR to its roots and still loads the system
  # bundle file; the system directory stays in the list for OpenSSL-based tools.
  local dirs="$ca_dir:${SSL_CERT_DIR:-/etc/ssl/certs}"
  echo "export SSL_CERT_DIR=$dirs"
  if [[ -n "${GITHUB_ENV:-}" ]]; then echo "SSL_CERT_DIR=$dirs" >>"$GITHUB_ENV"; fi
}

start() {
  read_tunnel_outputs
  if alive "$ssm_pid_file" && alive "$socks_pid_file" && port_open "$local_host" "$local_port"; then
    # Reusing a tunnel to another database would let an operator check production while meaning to
    # check a restored copy (or the reverse).
    local running
    running="$(cat "$target_file" 2>/dev/null || echo "an unrecorded database")"
    [[ "$running" == "$db_host:$db_port" ]] ||
      die "already up for $stack to $running, not $db_host:$db_port: stop it first (scripts/db-tunnel.sh stop --stack $stack), then start again"
    echo "db-tunnel: already up for $stack on socks5://$local_endpoint" >&2
    print_env
    return 0
  fi
  stop_pid_file "$socks_pid_file"
  stop_pid_file "$ssm_pid_file"
  command -v aws >/dev/null || die "the AWS CLI (aws) is not installed"
  command -v session-manager-plugin >/dev/null || die "the Session Manager plugin is not installed (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html)"
  command -v "$node_bin" >/dev/null || die "node is not installed (set NODE)"
  port_open "$local_host" "$local_port" && die "$local_endpoint is already in use by another program"
  port_open 127.0.0.1 "$forward_port" && die "127.0.0.1:$forward_port is already in use (choose --forward-port)"
  mkdir -p "$state" && chmod 700 "$state"
  install_ca

  set -m
  local parameters
  parameters="{\"host\":[\"$db_host\"],\"portNumber\":[\"$db_port\"],\"localPortNumber\":[\"$forward_port\"]}"
  aws ssm start-session --region "$region" --target "$instance_id" \
    --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters "$parameters" \
    </dev/null >"$state/ssm.log" 2>&1 &
  echo $! >"$ssm_pid_file"
  if ! wait_for_port 127.0.0.1 "$forward_port" "$ssm_pid_file" "$state/ssm.log" "the SSM session"; then
    stop_pid_file "$ssm_pid_file"
    exit 1
  fi

  "$node_bin" "$REPO_ROOT/scripts/ts.js" "$FORWARDER" --listen "$local_endpoint" --allow "$db_host:$db_port" --forward "127.0.0.1:$forward_port" \
    </dev/null >"$state/socks.log" 2>&1 &
  echo $! >"$socks_pid_file"
  set +m
  if ! wait_for_port "$local_host" "$local_port" "$socks_pid_file" "$state/socks.log" "the SOCKS forwarder"; then
    stop_pid_file "$socks_pid_file"
    stop_pid_file "$ssm_pid_file"
    exit 1
  fi
  echo "$db_host:$db_port" >"$target_file"
  echo "db-tunnel: up for $stack: socks5://$local_endpoint -> $db_host:$db_port via $instance_id ($region)" >&2
  print_env
}

stop() {
  stop_pid_file "$socks_pid_file"
  stop_pid_file "$ssm_pid_file"
  rm -f "$target_file"
  echo "db-tunnel: down for $stack" >&2
}

status() {
  local up=0
  alive "$ssm_pid_file" && echo "ssm session: running (pid $(cat "$ssm_pid_file"))" || { echo "ssm session: not running"; up=3; }
  alive "$socks_pid_file" && echo "socks forwarder: running (pid $(cat "$socks_pid_file"))" || { echo "socks forwarder: not running"; up=3; }
  return "$up"
}

case "$command" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) print_env ;;
esac
