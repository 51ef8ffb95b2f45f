#!/usr/bin/env bash
# Applies the function application configuration with the fn CLI:
#   fn config app <application> <key> <value>   for every key.
# Values come from `terraform output -json app_config` (default), a JSON object file, or KEY=VALUE args.
# Keys are checked against the table in func-configs/README.md, so a typo never reaches the functions.
#
# usage: func-configs/fn-config-app.sh [--app NAME] [--terraform-dir DIR | --from-json FILE] [--dry-run] [KEY=VALUE ...]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
app="DataSyncApplication"
tf_dir="$here/../terraform"
json_file=""
dry_run=false
pairs=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    --app) app="$2"; shift 2 ;;
    --terraform-dir) tf_dir="$2"; shift 2 ;;
    --from-json) json_file="$2"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *=*) pairs+=("$1"); shift ;;
    *) echo "fn-config-app.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done

command -v jq >/dev/null || { echo "fn-config-app.sh: jq is required" >&2; exit 2; }

# The keys the README table documents (first column of its rows).
known_keys="$(sed -n 's/^| `\([A-Za-z_]*\)` |.*/\1/p' "$here/README.md")"

# KEY<TAB>VALUE lines
if [[ ${#pairs[@]} -gt 0 ]]; then
  entries="$(for p in "${pairs[@]}"; do printf '%s\t%s\n' "${p%%=*}" "${p#*=}"; done)"
else
  if [[ -n "$json_file" ]]; then
    json="$(cat "$json_file")"
  else
    json="$(terraform -chdir="$tf_dir" output -json app_config)"
  fi
  entries="$(jq -r 'to_entries[] | select(.value != null and .value != "") | "\(.key)\t\(.value)"' <<<"$json")"
fi

[[ -n "$entries" ]] || { echo "fn-config-app.sh: no configuration values found" >&2; exit 1; }

status=0
while IFS=$'\t' read -r key value; do
  if ! grep -qx "$key" <<<"$known_keys"; then
    echo "fn-config-app.sh: $key is not a key of func-configs/README.md" >&2
    status=1
  fi
done <<<"$entries"
[[ $status -eq 0 ]] || exit $status

while IFS=$'\t' read -r key value; do
  if $dry_run; then
    printf 'fn config app %q %q %q\n' "$app" "$key" "$value"
  else
    fn config app "$app" "$key" "$value" >/dev/null
    echo "set $key"
  fi
done <<<"$entries"
