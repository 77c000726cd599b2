#!/usr/bin/env bash
# prepare.sh: everything the test VM boots, cached under $HOSTVM_DIR (default build/hostvm):
#
#   kernel/vmlinuz, kernel/modules/*.ko, kernel/load.order
#       the stock Debian 12 kernel, the one linux-image-amd64 depends on, downloaded as a
#       package (apt-get download; nothing is installed) and unpacked with dpkg -x; only the
#       modules the guest loads (and their dependencies, tests/hostvm/moddeps.sh) are kept
#   utest         the usbtest client (tests/hostvm/utest.c), static
#   initrd.gz     busybox (busybox-static), the modules, usbip and openocd with the shared
#                 libraries they need, utest, and tests/hostvm/guest-init.sh as /init
#
# The kernel is fetched once (delete $HOSTVM_DIR/kernel to fetch the current one again); the
# initrd is rebuilt only when one of its inputs is newer. Needs the packages of
# `tools/deps.sh hostvm`. Exit status 0, or 1 with a message.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
D=${HOSTVM_DIR:-$ROOT/build/hostvm}
MODULES="virtio_pci virtio_net usbip_core vhci_hcd cdc_acm usbtest usbhid hid_generic"
mkdir -p "$D"

say() { echo "hostvm: $*"; }
die() {
	echo "hostvm: $*" >&2
	exit 1
}

kernel_package() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}

fetch_kernel() {
	local pkg deb x moddir
	pkg=${HOSTVM_KPKG:-$(kernel_package)}
	if [ -z "$pkg" ] && [ "$(id -u)" -eq 0 ]; then
		apt-get -o DPkg::Lock::Timeout=600 update >/dev/null
		pkg=$(kernel_package)
	fi
	[ -n "$pkg" ] || die "cannot find the package linux-image-amd64 depends on (run apt-get update)"
	mkdir -p "$D/deb"
	if ! ls "$D/deb/${pkg}"_*.deb >/dev/null 2>&1; then
		say "downloading $pkg (not installed: apt-get download + dpkg -x)"
		if ! (cd "$D/deb" && apt-get download "$pkg" >"$D/deb/download.log" 2>&1); then
			cat "$D/deb/download.log" >&2
			die "apt-get download $pkg failed"
		fi
	fi
	deb=$(ls "$D/deb/${pkg}"_*.deb | head -n 1)
	x=$D/unpacked
	rm -rf "$x" "$D/kernel"
	mkdir -p "$x" "$D/kernel/modules"
	dpkg -x "$deb" "$x"
	moddir=$(ls -d "$x"/lib/modules/*/ | head -n 1)
	moddir=${moddir%/}
	cp "$x"/boot/vmlinuz-* "$D/kernel/vmlinuz"
	# shellcheck disable=SC2086 # MODULES is a list
	bash "$HERE/moddeps.sh" "$moddir" $MODULES >"$D/kernel/modules.list"
	while read -r m; do
		cp "$moddir/$m" "$D/kernel/modules/"
		basename "$m" >>"$D/kernel/load.order"
	done <"$D/kernel/modules.list"
	echo "$pkg $(basename "$moddir")" >"$D/kernel/version"
	rm -rf "$x"
	say "kernel $(cat "$D/kernel/version"), modules: $(tr '\n' ' ' <"$D/kernel/load.order")"
}

# Copy a dynamically linked program and the libraries ldd lists (and the loader).
copy_program() {
	local r=$1 prog=$2 lib
	cp "$prog" "$r/bin/"
	for lib in $(ldd "$prog" | awk '$1 ~ /^\// { print $1 } /=> \// { print $3 }'); do
		mkdir -p "$r$(dirname "$lib")"
		[ -f "$r$lib" ] || cp -L "$lib" "$r$lib"
	done
}

build_initrd() {
	local r=$D/rootfs a
	rm -rf "$r"
	mkdir -p "$r"/{bin,dev,proc,sys,tmp,run,etc,var,lib/modules,usr/share/misc}
	ln -s ../run "$r/var/run" # usbip attach records its connections in /var/run/vhci_hcd
	cp /bin/busybox "$r/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"
	done
	ln -s bin "$r/sbin"
	cp "$D"/kernel/modules/*.ko "$D/kernel/load.order" "$r/lib/modules/"
	copy_program "$r" /usr/sbin/usbip
	copy_program "$r" /usr/bin/openocd
	[ ! -f /usr/share/misc/usb.ids ] || cp -L /usr/share/misc/usb.ids "$r/usr/share/misc/"
	cp "$D/utest" "$r/bin/utest"
	cp "$HERE/guest-init.sh" "$r/init"
	chmod +x "$r/init"
	# busybox's cpio (the host may have no GNU cpio); files root-owned in the guest.
	(cd "$r" && find . | /bin/busybox cpio -o -H newc -R 0:0 2>/dev/null | gzip -1 >"$D/initrd.gz.new")
	mv "$D/initrd.gz.new" "$D/initrd.gz"
	rm -rf "$r"
	say "initrd $D/initrd.gz ($(du -h "$D/initrd.gz" | cut -f1))"
}

for f in /bin/busybox /usr/sbin/usbip /usr/bin/openocd; do
	[ -x "$f" ] || die "$f is missing (tools/deps.sh hostvm installs it)"
done

[ -f "$D/kernel/version" ] || fetch_kernel

if [ ! -x "$D/utest" ] || [ "$HERE/utest.c" -nt "$D/utest" ]; then
	gcc -static -O2 -Wall -Wextra -o "$D/utest" "$HERE/utest.c" || die "cannot build utest"
fi

# Rebuild the initrd when an input changed (the script itself included).
stale=0
[ -f "$D/initrd.gz" ] || stale=1
for f in "$HERE/guest-init.sh" "$HERE/prepare.sh" "$D/utest" "$D/kernel/version" \
	/bin/busybox /usr/sbin/usbip /usr/bin/openocd; do
	[ "$stale" = 1 ] || [ ! "$f" -nt "$D/initrd.gz" ] || stale=1
done
[ "$stale" = 0 ] || build_initrd
