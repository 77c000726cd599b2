#!/usr/bin/env bash
# moddeps.sh MODDIR MODULE...: the kernel modules MODULE... need, in load order (dependencies
# first), one path per line relative to MODDIR (a lib/modules/<version> directory).
#
# An unpacked Debian kernel package has no modules.dep and the host may have no depmod, so the
# dependencies are read from each module's .modinfo section ("depends=a,b") with objcopy
# (binutils). Module names may be written with '-' or '_'. Modules built into the kernel
# (modules.builtin) are skipped with a note on stderr. Plain .ko files only (Debian 12's
# kernel does not compress them).
set -euo pipefail

[ $# -ge 2 ] || {
	echo "usage: $0 MODDIR MODULE..." >&2
	exit 2
}
dir=$1
shift

declare -A path builtin seen
while IFS= read -r f; do
	b=${f##*/}
	b=${b%.ko}
	path[${b//-/_}]=${f#"$dir"/}
done < <(find "$dir/kernel" -name '*.ko')
if [ -f "$dir/modules.builtin" ]; then
	while IFS= read -r f; do
		b=${f##*/}
		b=${b%.ko}
		builtin[${b//-/_}]=1
	done <"$dir/modules.builtin"
fi

depends_of() {
	objcopy -O binary --only-section=.modinfo "$dir/$1" /dev/stdout |
		tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' '
}

order=()
visit() {
	local name d
	name=${1//-/_}
	[ -z "${seen[$name]:-}" ] || return 0
	seen[$name]=1
	if [ -n "${builtin[$name]:-}" ]; then
		echo "moddeps: $name is built into the kernel" >&2
		return 0
	fi
	if [ -z "${path[$name]:-}" ]; then
		echo "moddeps: module $name not found under $dir" >&2
		exit 1
	fi
	for d in $(depends_of "${path[$name]}"); do
		visit "$d"
	done
	order+=("${path[$name]}")
}

for m in "$@"; do
	visit "$m"
done
printf '%s\n' "${order[@]}"
