#!/usr/bin/env bash
# Turns what a tmux pane shows (colours included) into a PNG for the README: capture-pane -e,
# aha to HTML, headless Chromium to a picture. Needs Debian's aha, chromium and fonts-dejavu-core.
# Usage: scripts/screenshot.sh TMUX_SOCKET TARGET COLUMNS ROWS OUT.png
set -euo pipefail
socket=$1 target=$2 columns=$3 rows=$4 out=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Braille (the charts) may come from a fallback font of another width: each is held to one cell.
tmux -L "$socket" capture-pane -e -p -t "$target" | aha --black --no-header |
	perl -CSD -pe 's/([\x{2800}-\x{28FF}])/<span class="cell">$1<\/span>/g' > "$work/body.html"
width=$((columns * 9 + 24))
height=$((rows * 19 + 24))
cat > "$work/page.html" <<HTML
<!doctype html><meta charset="utf-8">
<style>
body { margin: 0; background: #000; }
pre { margin: 0; padding: 12px; font: 15px/19px 'DejaVu Sans Mono', monospace; color: #ddd; background: #000; }
.cell { display: inline-block; width: 1ch; overflow: hidden; vertical-align: bottom; }
</style>
<pre>$(cat "$work/body.html")</pre>
HTML
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --user-data-dir="$work/profile" --hide-scrollbars \
	--window-size="$width,$height" --screenshot="$out" "file://$work/page.html" >/dev/null 2>&1
echo "$out"
