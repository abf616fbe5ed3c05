#!/usr/bin/env bash
# Install the one-folder build for one user (default) or system-wide:
#
#     bash packaging/install.sh                 # into ~/.local
#     sudo bash packaging/install.sh /usr/local # or /opt/..., /usr
#
# PREFIX/lib/weekly-review/   the folder from build/dist/weekly-review (run packaging/build.sh first)
# PREFIX/bin/weekly-review    a link to its executable
# PREFIX/share/...            the .desktop file, AppStream metainfo and hicolor icons
set -euo pipefail
cd "$(dirname "$0")/.."

PREFIX="${1:-$HOME/.local}"
DIST="${DIST:-build/dist/weekly-review}"
if [ ! -x "$DIST/weekly-review" ]; then
    echo "install.sh: no $DIST/weekly-review; run: bash packaging/build.sh" >&2
    exit 2
fi

rm -rf "$PREFIX/lib/weekly-review"
mkdir -p "$PREFIX/lib/weekly-review" "$PREFIX/bin" "$PREFIX/share"
cp -a "$DIST/weekly-review" "$DIST/_internal" "$PREFIX/lib/weekly-review/"
ln -sfn "$PREFIX/lib/weekly-review/weekly-review" "$PREFIX/bin/weekly-review"
cp -r "$DIST/share/." "$PREFIX/share/"

# Refresh the icon cache only where one is kept already (a new cache in ~/.local would hide icons
# that other programs install there later without refreshing it).
if [ -f "$PREFIX/share/icons/hicolor/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null; then
    gtk-update-icon-cache -q -t "$PREFIX/share/icons/hicolor" || true
fi
echo "installed: $PREFIX/bin/weekly-review"
