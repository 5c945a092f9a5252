#!/usr/bin/env bash
# Fails when a billing decision is written in the chart's billing storage code instead of
# the pure crates (stride-coding, stride-billing), where every caller shares it.
#
# crates/chart/src/billing/ reads facts and stores results. It must not:
#   - name the rule data or its adjudication (NCCI, MUE, KX thresholds, unit counting);
#   - test a claim modifier by its letters ("KX", "59", "XU", "CQ", "GP", ...);
#   - ask a code's timing (timed, untimed), which is how units are judged.
# Each pattern below is one of those; a match names the file and line to move.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=crates/chart/src/billing
patterns=(
  'ncci|ModifierIndicator|PtpTable|edit_between'
  'mue\b|MueScope|MueTable|max_units'
  'kx_lines|thresholds|for_year'
  'units_for_minutes|minutes_range|allocate_cms'
  'Timing::'
  '"(KX|GP|CQ|59|XE|XS|XP|XU|GA|GY)"'
)
status=0
for pattern in "${patterns[@]}"; do
  if grep -nE "$pattern" "$dir"/*.rs; then
    status=1
  fi
done
if [ "$status" -ne 0 ]; then
  echo "the lines above decide billing inside $dir: move the rule to stride-coding or stride-billing and call it" >&2
  exit 1
fi
echo "ok: $dir holds no billing decision"
