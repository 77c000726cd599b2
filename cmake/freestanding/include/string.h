/* SPDX-License-Identifier: MIT */
/*
 * The part of <string.h> udcore uses, for freestanding toolchains that ship no C library
 * (Debian's riscv64-unknown-elf-gcc). Declarations only: GCC expects a freestanding program to
 * provide memcpy, memmove, memset and memcmp, and every firmware does.
 */
#ifndef UD_FREESTANDING_STRING_H
#define UD_FREESTANDING_STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif
