#!/bin/sh
# /init of the test VM (tests/hostvm/prepare.sh puts it in the initramfs). It attaches the
# simulated udcore devices that `udsim serve` exports on the host, over USB/IP (vhci-hcd,
# `usbip attach` to 10.0.2.2, QEMU's user network), lets the guest kernel's own drivers and
# tools use them, prints a verdict and powers off. Every line for the host starts "HOSTVM".
#
# Kernel command line:
#   hostvm.devs=NAME@PORT@VID:PID,...  the devices to attach (run.sh fills it in); NAME picks
#                                      the checks: zero-mod63 the usbtest list (pattern 1),
#                                      zero usbtest 27 and 28 (pattern 0), cdc cdc_acm, dap and
#                                      dap-v1 OpenOCD (CMSIS-DAP v2 over libusb, v1 over hidapi)
#   hostvm.server=10.0.2.2             the host, as QEMU's user network shows it
#   hostvm.usbtests=1,2,...            usbtest cases to run on zero-mod63 (default: the list
#                                      below)
#   hostvm.acmbytes=N                  bytes echoed through /dev/ttyACM0 (default 1 MiB)
#   hostvm.shell=1                     a shell instead of powering off (run.sh INTERACTIVE=1)
#   MODULE.PARAM=VALUE                 passed to insmod (busybox insmod does not read the
#                                      command line), e.g. usbtest.pattern=1
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run

SERVER=10.0.2.2
DEVS=""
USBTESTS=""
ACMBYTES=1048576
SHELL_AT_END=0
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	hostvm.server=*) SERVER=${arg#*=} ;;
	hostvm.devs=*) DEVS=$(echo "${arg#*=}" | tr ',' ' ') ;;
	hostvm.usbtests=*) USBTESTS=$(echo "${arg#*=}" | tr ',' ' ') ;;
	hostvm.acmbytes=*) ACMBYTES=${arg#*=} ;;
	hostvm.shell=*) SHELL_AT_END=${arg#*=} ;;
	esac
done

up() { cut -d' ' -f1 /proc/uptime; }
say() { echo "HOSTVM[$(up)]: $*"; }
FAILS=0
fail() {
	FAILS=$((FAILS + 1))
	say "FAIL: $*"
}
elapsed() { awk "BEGIN { printf \"%.2f\", $(up) - $1 }"; }

# Wait until the shell condition $1 holds, at most $2 seconds (guest uptime).
wait_for() {
	end=$(($(cut -d. -f1 /proc/uptime) + $2))
	while [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ]; do
		eval "$1" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# The sysfs directory of a USB device VID:PID that no earlier attach claimed (two devices may
# share VID:PID: zero and zero-mod63).
CLAIMED=" "
find_dev() {
	for d in /sys/bus/usb/devices/*; do
		[ -f "$d/idVendor" ] || continue
		case "$CLAIMED" in *" $d "*) continue ;; esac
		[ "$(cat "$d/idVendor"):$(cat "$d/idProduct")" = "$1" ] && echo "$d" && return 0
	done
	return 1
}
# The sysfs directory of attached device NAME.
dev_path() { cat "/tmp/devpath.$1" 2>/dev/null; }

say "init (kernel $(uname -r)), devices: $DEVS"
for m in $(cat /lib/modules/load.order); do
	name=$(basename "$m" .ko | tr '-' '_')
	args=$(tr ' ' '\n' </proc/cmdline | sed -n "s/^$name\.//p" | tr '\n' ' ')
	insmod "/lib/modules/$m" $args 2>/tmp/insmod.err || fail "insmod $m $args: $(cat /tmp/insmod.err)"
done

ip link set lo up
ip link set eth0 up || fail "no network interface"
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2

# ------------------------------------------------------------------ attach, enumeration
for spec in $DEVS; do
	name=${spec%%@*}
	rest=${spec#*@}
	port=${rest%%@*}
	id=${rest#*@}
	t0=$(up)
	if ! usbip --tcp-port "$port" attach -r "$SERVER" -b 1-1; then
		fail "usbip attach $name (port $port)"
		continue
	fi
	if ! wait_for "find_dev $id" 20; then
		fail "$name ($id) did not enumerate"
		continue
	fi
	d=$(find_dev "$id")
	CLAIMED="$CLAIMED$d "
	echo "$d" >"/tmp/devpath.$name"
	say "$name attached and enumerated in $(elapsed "$t0")s: $(basename "$d"), $(cat "$d/speed") Mbit/s, '$(cat "$d/product" 2>/dev/null)'"
	# What usbcore read: the device descriptor and the whole configuration descriptor(s).
	echo "HOSTVM DESC $name $(od -An -v -tx1 "$d/descriptors" | tr -d ' \n')"
done
usbip port 2>&1 | sed 's/^/    usbip port| /'

# ------------------------------------------------------------------ usbtest on Gadget Zero
# test iterations length vary sglen
USBTEST_TABLE="0 1 0 0 0
1 100 512 0 0
2 100 512 0 0
3 100 4096 511 0
4 100 4096 512 0
5 10 4096 0 8
6 10 4096 0 8
7 10 4096 512 8
8 10 4096 512 8
9 10 0 0 0
10 10 0 0 16
11 10 1024 0 0
12 10 1024 0 0
13 10 0 0 0
14 10 256 1 0
17 100 512 0 0
18 100 512 0 0
21 10 256 1 0
24 10 512 0 16
27 32 16384 0 16
28 32 16384 0 16
29 10 0 0 0"

run_usbtest() { # NAME NODE TEST ITER LEN VARY SGLEN
	name=$1
	shift
	utest "$@"
	[ $? -ne 1 ] || fail "$name: usbtest test $2"
}

# usbtest_device NAME PATTERN TESTS: the usbtest cases TESTS ("" for all) with data pattern
# PATTERN (usbtest's module parameter, which the device's pattern must match).
usbtest_device() {
	name=$1
	d=$(dev_path "$name")
	if ! wait_for "[ -e $d:1.0/driver ]" 15; then
		fail "$name: usbtest did not bind"
		return
	fi
	if ! echo "$2" >/sys/module/usbtest/parameters/pattern; then
		fail "$name: cannot set usbtest's pattern to $2"
		return
	fi
	node=$(printf '/dev/bus/usb/%03d/%03d' "$(cat "$d/busnum")" "$(cat "$d/devnum")")
	say "$name: usbtest bound to $(basename "$d"), $node, pattern $2"
	t0=$(up)
	while read -r t it len vary sg; do
		if [ -n "$3" ]; then
			case " $3 " in *" $t "*) ;; *) continue ;; esac
		fi
		run_usbtest "$name" "$node" "$t" "$it" "$len" "$vary" "$sg"
	done <<EOF
$USBTEST_TABLE
EOF
	say "$name: usbtest cases done in $(elapsed "$t0")s"
}

# ------------------------------------------------------------------ cdc_acm echo
acm_device() {
	name=$1
	if ! wait_for "[ -c /dev/ttyACM0 ]" 15; then
		fail "$name: /dev/ttyACM0 did not appear"
		return
	fi
	d=$(dev_path "$name")
	say "$name: /dev/ttyACM0, interfaces bound to: $(for l in "$d"/*:*/driver; do basename "$(readlink "$l")"; done | tr '\n' ' ')"
	exec 3<>/dev/ttyACM0
	# Raw and without echo: the tty must neither change nor echo a byte (nor act on XON/XOFF).
	stty -F /dev/ttyACM0 raw -echo -echoe -echok -echonl -echoctl -echoke -ixon -ixoff 115200 ||
		fail "$name: stty"
	head -c "$ACMBYTES" /dev/urandom >/tmp/tx
	t0=$(up)
	(timeout 120 head -c "$ACMBYTES" <&3 >/tmp/rx) &
	rd=$!
	cat /tmp/tx >&3
	wait $rd
	t=$(elapsed "$t0")
	exec 3>&-
	if cmp -s /tmp/tx /tmp/rx; then
		say "$name: $ACMBYTES bytes through /dev/ttyACM0 echoed back byte-exact in ${t}s"
	else
		fail "$name: echo through /dev/ttyACM0 differs: sent $ACMBYTES bytes, got $(wc -c </tmp/rx) ($(cmp /tmp/tx /tmp/rx 2>&1 | head -n 1))"
	fi
	rm -f /tmp/tx /tmp/rx
}

# ------------------------------------------------------------------ OpenOCD on CMSIS-DAP
# Words written to target RAM through a mem_ap target, read back and compared (in Tcl).
OOCD_CHECK='
set addr 0x20000000
set out {}
for {set i 0} {$i < 64} {incr i} { lappend out [expr {(0x9e3779b9 * ($i + 1)) & 0xffffffff}] }
write_memory $addr 32 $out
set back [read_memory $addr 32 64]
set bad 0
for {set i 0} {$i < 64} {incr i} {
	if {[lindex $out $i] != [lindex $back $i]} { incr bad }
}
mww 0x20000100 0xcafef00d
set w [read_memory 0x20000100 32 1]
if {$bad == 0 && $w == 0xcafef00d} { echo "MEMCHECK OK 65 words" } else { echo "MEMCHECK FAIL $bad of 64 words differ, mww/mdw got $w" }
'
openocd_device() { # NAME BACKEND
	name=$1
	d=$(dev_path "$name")
	vid=$(cat "$d/idVendor")
	pid=$(cat "$d/idProduct")
	if [ "$2" = hid ] && ! wait_for "ls /dev/hidraw*" 15; then
		fail "$name: no hidraw node"
		return
	fi
	t0=$(up)
	timeout 60 openocd -c "gdb_port disabled" -c "tcl_port disabled" -c "telnet_port disabled" \
		-c "adapter driver cmsis-dap" -c "cmsis_dap_vid_pid 0x$vid 0x$pid" \
		-c "cmsis_dap_backend $2" -c "transport select swd" -c "adapter speed 1000" \
		-c "swd newdap chip cpu -expected-id 0x2ba01477" \
		-c "dap create chip.dap -chain-position chip.cpu" \
		-c "target create chip.mem mem_ap -dap chip.dap -ap-num 0" \
		-c init -c "$OOCD_CHECK" -c shutdown >/tmp/oocd.log 2>&1
	rc=$?
	sed 's/^/    openocd| /' /tmp/oocd.log
	if grep -q "SWD DPIDR 0x2ba01477" /tmp/oocd.log && grep -q "MEMCHECK OK" /tmp/oocd.log; then
		say "$name: OpenOCD ($2): DPIDR 0x2ba01477, RAM written and read back through mem_ap in $(elapsed "$t0")s"
	else
		fail "$name: OpenOCD ($2), exit status $rc"
	fi
}

for spec in $DEVS; do
	name=${spec%%@*}
	[ -n "$(dev_path "$name")" ] || continue
	case "$name" in
	zero-mod63) usbtest_device "$name" 1 "$USBTESTS" ;;
	# usbtest runs 27 and 28 (queued bulk throughput, data not compared) only with pattern 0
	# (under pattern 1 it reports them unsupported): the pattern-0 Gadget Zero.
	zero) usbtest_device "$name" 0 "27 28" ;;
	cdc) acm_device "$name" ;;
	dap) openocd_device "$name" usb_bulk ;;
	dap-v1) openocd_device "$name" hid ;;
	*) say "$name: attached, no checks for it beyond enumeration" ;;
	esac
done

say "dmesg (usb, usbtest, vhci):"
dmesg | grep -E 'usb|vhci|cdc_acm|hid' | grep -v -E 'vhci_hcd: (unlink->seqnum|the urb .* already given back)' |
	tail -n 60 | sed 's/^/    dmesg| /'
if [ "$FAILS" -eq 0 ]; then say "RESULT: PASS"; else say "RESULT: FAIL ($FAILS failures)"; fi
[ "$SHELL_AT_END" != 1 ] || exec sh
for p in 0 1 2 3 4 5 6 7; do usbip detach -p $p >/dev/null 2>&1; done
sync
poweroff -f
