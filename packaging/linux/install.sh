#!/bin/sh
# Install circlekeeper from this unpacked folder.
#   sudo ./install.sh        for everyone: /opt/circlekeeper, /usr/local/bin, /usr/local/share
#   ./install.sh             for you alone: ~/.local/opt/circlekeeper, ~/.local/bin, ~/.local/share
#   ./install.sh --uninstall removes the program again
# To update, unpack the new version and run its install.sh: the program is replaced, the
# records (in each user's ~/.local/share/circlekeeper) are never touched.
# PREFIX and OPT choose other places.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -eq 0 ]; then
    prefix=${PREFIX:-/usr/local}
    opt=${OPT:-/opt/circlekeeper}
else
    prefix=${PREFIX:-$HOME/.local}
    opt=${OPT:-$HOME/.local/opt/circlekeeper}
fi
entry=org.circlekeeper.CircleKeeper

refresh_menus() {
    command -v update-desktop-database >/dev/null 2>&1 \
        && update-desktop-database -q "$prefix/share/applications" 2>/dev/null || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 \
        && gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" 2>/dev/null || true
}

if [ "${1:-}" = "--uninstall" ]; then
    echo "Removing circlekeeper from $opt (your records stay where they are)"
    rm -rf "$opt"
    rm -f "$prefix/bin/circlekeeper" "$prefix/share/applications/$entry.desktop" \
        "$prefix/share/metainfo/$entry.metainfo.xml"
    find "$prefix/share/icons/hicolor" -name 'circlekeeper.*' -path '*/apps/*' -delete 2>/dev/null || true
    refresh_menus
    exit 0
fi

echo "Installing circlekeeper into $opt"
mkdir -p "$(dirname "$opt")" "$prefix/bin" "$prefix/share"
# Copy beside the old version first, then swap: a failed copy leaves the old one working.
new="$opt.new.$$"
rm -rf "$new"
cp -R "$here/circlekeeper" "$new"
if [ -e "$opt" ]; then
    rm -rf "$opt.old"
    mv "$opt" "$opt.old"
fi
mv "$new" "$opt"
rm -rf "$opt.old"
ln -sf "$opt/circlekeeper" "$prefix/bin/circlekeeper"
cp -R "$here/share/." "$prefix/share/"
# The menu entry starts this copy even when $prefix/bin is not on the desktop's PATH.
sed "s|^Exec=circlekeeper|Exec=\"$opt/circlekeeper\"|" "$here/share/applications/$entry.desktop" \
    > "$prefix/share/applications/$entry.desktop"
refresh_menus
echo "Done: start circlekeeper from the applications menu, or run $prefix/bin/circlekeeper"
