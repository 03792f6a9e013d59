#!/bin/sh
# Wrap dist/circlekeeper.app (python packaging/build.py on a Mac) in a disk image.
#   packaging/macos/make_dmg.sh            -> dist/circlekeeper-VERSION-macos.dmg
# Signing and notarising happen on the release Mac that holds the Developer ID: set
# CODESIGN_IDENTITY (and NOTARY_PROFILE, a `xcrun notarytool store-credentials` profile) and
# this script signs the app, the image, submits it and staples the ticket. Without them the
# image is unsigned: fine for testing, and Gatekeeper asks before the first start.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
version=$(python3 "$root/packaging/bundle_data.py" version)
app="$root/dist/circlekeeper.app"
dmg="$root/dist/circlekeeper-$version-macos.dmg"
[ -d "$app" ] || { echo "No $app: run python packaging/build.py first." >&2; exit 2; }

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
    codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$app"
fi
staging=$(mktemp -d)
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
rm -f "$dmg"
hdiutil create -volname "circlekeeper $version" -srcfolder "$staging" -ov -format UDZO "$dmg"
rm -rf "$staging"
if [ -n "${CODESIGN_IDENTITY:-}" ]; then
    codesign --force --timestamp --sign "$CODESIGN_IDENTITY" "$dmg"
    if [ -n "${NOTARY_PROFILE:-}" ]; then
        xcrun notarytool submit "$dmg" --keychain-profile "$NOTARY_PROFILE" --wait
        xcrun stapler staple "$dmg"
    fi
fi
echo "$dmg"
