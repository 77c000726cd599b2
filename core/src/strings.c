/* SPDX-License-Identifier: MIT */
/*
 * UTF-8 (what applications write) to UTF-16LE (what string descriptors carry). Strict: an
 * overlong form, a surrogate code point, a value past U+10FFFF or a truncated sequence is
 * invalid, so a bad string is refused when it is registered rather than sent garbled.
 */
#include "ud_internal.h"

/* Decode one code point at s; returns its byte length, or 0 if invalid. */
static unsigned decode(const unsigned char *s, uint32_t *cp)
{
	static const uint32_t min[4] = {0, 0x80, 0x800, 0x10000};
	unsigned n;
	uint32_t c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0u) == 0xc0u) {
		n = 2;
		c &= 0x1fu;
	} else if ((c & 0xf0u) == 0xe0u) {
		n = 3;
		c &= 0x0fu;
	} else if ((c & 0xf8u) == 0xf0u) {
		n = 4;
		c &= 0x07u;
	} else {
		return 0;
	}
	for (unsigned i = 1; i < n; i++) {
		if ((s[i] & 0xc0u) != 0x80u) /* also stops at the terminating NUL */
			return 0;
		c = (c << 6) | (s[i] & 0x3fu);
	}
	if (c < min[n - 1] || c > 0x10ffffu || (c >= 0xd800u && c <= 0xdfffu))
		return 0;
	*cp = c;
	return n;
}

static void put_unit(uint8_t *out, size_t cap, size_t at, uint32_t unit)
{
	if (out && at + 2 <= cap) {
		out[at] = (uint8_t)(unit & 0xffu);
		out[at + 1] = (uint8_t)(unit >> 8);
	}
}

int ud_utf8_to_utf16le(const char *str, uint8_t *out, size_t cap)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t bytes = 0;

	while (*s) {
		uint32_t cp;
		unsigned n = decode(s, &cp);
		if (!n)
			return UD_ERR_INVAL;
		s += n;
		if (cp >= 0x10000u) { /* outside the BMP: a surrogate pair */
			cp -= 0x10000u;
			put_unit(out, cap, bytes, 0xd800u | (cp >> 10));
			put_unit(out, cap, bytes + 2, 0xdc00u | (cp & 0x3ffu));
			bytes += 4;
		} else {
			put_unit(out, cap, bytes, cp);
			bytes += 2;
		}
		if (bytes > 0x7fff)
			return UD_ERR_NOSPACE; /* no descriptor could ever hold it */
	}
	if (out && bytes > cap)
		return UD_ERR_NOSPACE;
	return (int)bytes;
}
