/* SPDX-License-Identifier: MIT */
/*
 * UTF-8 (what applications write) to UTF-16LE (what string descriptors carry). Strict: an
 * overlong form, a surrogate code point, a value past U+10FFFF or a truncated sequence is
 * invalid, so a bad string is refused when it is registered rather than sent garbled.
 * With UD_STRING_UTF8 0 (ud_config.h) only 7-bit ASCII is accepted, by a much smaller routine.
 *
 * The result is bounded by cap whether or not it is written (out NULL measures): a string
 * longer than any descriptor can hold is "too long", however long it is.
 */
#include "ud_internal.h"

#if UD_STRING_UTF8

/* Decode one code point at s; returns its byte length, or 0 if invalid. */
static unsigned decode(const unsigned char *s, uint32_t *cp)
{
	static const uint32_t min[4] = {0, 0x80, 0x800, 0x10000};
	uint32_t c = s[0];
	unsigned n = 1;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	while (c & (0x80u >> n)) /* the leading 1 bits count the bytes: 110xxxxx is 2 */
		n++;
	if (n < 2 || n > 4)
		return 0; /* a continuation byte, or 11111xxx */
	c &= 0x7fu >> n;
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

static void put_unit(uint8_t *out, size_t at, uint32_t unit)
{
	if (out)
		ud_put16(out + at, (uint16_t)unit);
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
		size_t units = cp >= 0x10000u ? 4u : 2u;
		if (bytes + units > cap)
			return UD_ERR_NOSPACE;
		if (units == 4u) { /* outside the BMP: a surrogate pair */
			cp -= 0x10000u;
			put_unit(out, bytes, 0xd800u | (cp >> 10));
			cp = 0xdc00u | (cp & 0x3ffu);
			bytes += 2;
		}
		put_unit(out, bytes, cp);
		bytes += 2;
	}
	return (int)bytes;
}

#else /* UD_STRING_UTF8 == 0: 7-bit ASCII only */

int ud_utf8_to_utf16le(const char *str, uint8_t *out, size_t cap)
{
	size_t bytes = 0;

	for (const unsigned char *s = (const unsigned char *)str; *s; s++) {
		if (*s >= 0x80u)
			return UD_ERR_INVAL; /* not ASCII: refused rather than sent garbled */
		if (bytes + 2u > cap)
			return UD_ERR_NOSPACE;
		if (out)
			ud_put16(out + bytes, *s);
		bytes += 2;
	}
	return (int)bytes;
}

#endif
