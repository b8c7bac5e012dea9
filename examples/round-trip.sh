#!/usr/bin/env bash
# The package trust chain end to end on the todo example: keygen, pack, sign, verify, then show that
# tampering and untrusted keys are rejected. Works in a temporary directory; changes nothing here.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
capsule="$root/capsule"
work="$(mktemp -d "${TMPDIR:-/tmp}/capsule-round-trip.XXXXXX")"
trap 'rm -rf "$work"' EXIT

step() { printf '\n== %s\n' "$*"; }
expect_rejection() {
  if "$@" 2>&1; then echo "round-trip: expected a rejection, got success" >&2; exit 1; fi
  echo "(rejected, as expected)"
}

step "Create a developer key and a platform key"
"$capsule" keygen --out "$work/developer.key"
"$capsule" keygen --out "$work/platform.key"

step "Pack examples/todo (deterministic: packing twice gives identical bytes)"
"$capsule" pack "$root/examples/todo" --out "$work/todo.capsule"
"$capsule" pack "$root/examples/todo" --out "$work/again.capsule"
cmp "$work/todo.capsule" "$work/again.capsule" && echo "identical"

step "Sign as developer, then verify against the developer's public key"
"$capsule" sign "$work/todo.capsule" --key "$work/developer.key"
"$capsule" verify "$work/todo.capsule" --trust "developer=$work/developer.key.pub:com.example.*"

step "A host that requires the platform's countersignature rejects it until the platform signs"
trust=(--trust "developer=$work/developer.key.pub:com.example.*" --trust "platform=$work/platform.key.pub")
expect_rejection "$capsule" verify "$work/todo.capsule" "${trust[@]}" --require-role platform
"$capsule" sign "$work/todo.capsule" --key "$work/platform.key" --role platform
"$capsule" verify "$work/todo.capsule" "${trust[@]}" --require-role platform

step "The developer cannot countersign as the platform"
"$capsule" sign "$work/todo.capsule" --key "$work/developer.key" --role platform --out "$work/promoted.capsule"
expect_rejection "$capsule" verify "$work/promoted.capsule" "${trust[@]}" --require-role platform

step "A key you do not trust is rejected"
"$capsule" keygen --out "$work/stranger.key" >/dev/null
expect_rejection "$capsule" verify "$work/todo.capsule" --trust "$work/stranger.key.pub:*"

step "A trusted developer key signs only the app ids it is bound to"
expect_rejection "$capsule" verify "$work/todo.capsule" --trust "developer=$work/developer.key.pub:com.other.*"

step "One flipped byte is rejected"
cp "$work/todo.capsule" "$work/tampered.capsule"
printf '\x00' | dd of="$work/tampered.capsule" bs=1 seek=100 conv=notrunc status=none
expect_rejection "$capsule" verify "$work/tampered.capsule" "${trust[@]}"

step "Run it, verified, with scripted events (type a todo, add it, tick it)"
printf '%s' '[{"handler":"onInput","event":{"detail":{"value":"Buy milk"}}},{"handler":"onAdd"},
  {"handler":"onToggle","event":{"currentTarget":{"dataset":{"index":0}}}}]' > "$work/events.json"
"$capsule" run "$work/todo.capsule" "${trust[@]}" --require-role platform --events "$work/events.json"

step "What the package holds"
"$capsule" inspect "$work/todo.capsule" | head -n 9
echo
echo "round trip OK"
