/* SPDX-License-Identifier: MIT */
/*
 * The packet memory area (PMA) as the CPU reaches it, in the three generations of the
 * peripheral (enum ud_fsdev_pma_access):
 *
 *   16_STRIDE32  the PMA is 16 bits wide and each halfword sits in a 32-bit slot: PMA address a
 *                (even) is CPU address pma_base + 2a, accessed 16 bits at a time;
 *   16           halfwords are contiguous: CPU address pma_base + a, 16-bit accesses;
 *   32           32-bit words only: CPU address pma_base + a (a multiple of 4), 32-bit accesses.
 *
 * The buffer descriptor table has the same byte layout in all three (ADDRn_TX, COUNTn_TX,
 * ADDRn_RX, COUNTn_RX as 16-bit entries at n*8 + 0, 2, 4, 6); in the 32-bit generation a pair
 * of them is one word, so writing one entry is a read-modify-write of its word.
 */
#include "fsdev_regs.h"

static uintptr_t cpu_addr(const struct ud_fsdev *f, uint16_t pma)
{
	if (fsdev_pma_access(f) == UD_FSDEV_PMA_16_STRIDE32)
		return f->cfg.pma_base + 2u * (uintptr_t)pma;
	return f->cfg.pma_base + pma;
}

void ud_fsdev_bdt_write(const struct ud_fsdev *f, uint16_t at, uint16_t v)
{
	if (fsdev_pma_access(f) != UD_FSDEV_PMA_32) {
		fsdev_io_write(f, cpu_addr(f, at), v, 16u);
		return;
	}
	uintptr_t word = cpu_addr(f, (uint16_t)(at & ~3u));
	uint32_t w = fsdev_io_read(f, word, 32u);
	unsigned shift = (at & 2u) ? 16u : 0u;
	w = (w & ~(0xffffu << shift)) | ((uint32_t)v << shift);
	fsdev_io_write(f, word, w, 32u);
}

uint16_t ud_fsdev_bdt_read(const struct ud_fsdev *f, uint16_t at)
{
	if (fsdev_pma_access(f) != UD_FSDEV_PMA_32)
		return (uint16_t)fsdev_io_read(f, cpu_addr(f, at), 16u);
	uint32_t w = fsdev_io_read(f, cpu_addr(f, (uint16_t)(at & ~3u)), 32u);
	return (uint16_t)((at & 2u) ? w >> 16 : w);
}

void ud_fsdev_pma_write(const struct ud_fsdev *f, uint16_t pma, const uint8_t *src, uint16_t n)
{
	/* Byte by byte from RAM: the caller's buffer may have any alignment. */
	if (fsdev_pma_access(f) == UD_FSDEV_PMA_32) {
		for (uint16_t i = 0; i < n; i += 4u) {
			uint32_t w = 0;
			for (uint16_t k = 0; k < 4u && i + k < n; k++)
				w |= (uint32_t)src[i + k] << (8u * k);
			fsdev_io_write(f, cpu_addr(f, (uint16_t)(pma + i)), w, 32u);
		}
		return;
	}
	/* Every packet runs this loop (the CPU is the peripheral's only way to its packet
	 * memory), so the address and its step are worked out once and the odd last byte comes
	 * after it: per halfword, two loads, one access and two adds. */
	uintptr_t at = cpu_addr(f, pma);
	uintptr_t step = fsdev_pma_access(f) == UD_FSDEV_PMA_16_STRIDE32 ? 4u : 2u;
	const uint8_t *end = src + (n & ~1u);
	for (; src != end; src += 2, at += step)
		fsdev_io_write(f, at, (uint32_t)src[0] | (uint32_t)src[1] << 8, 16u);
	if (n & 1u)
		fsdev_io_write(f, at, *src, 16u);
}

void ud_fsdev_pma_read(const struct ud_fsdev *f, uint16_t pma, uint8_t *dst, uint16_t n)
{
	if (fsdev_pma_access(f) == UD_FSDEV_PMA_32) {
		for (uint16_t i = 0; i < n; i += 4u) {
			uint32_t w = fsdev_io_read(f, cpu_addr(f, (uint16_t)(pma + i)), 32u);
			for (uint16_t k = 0; k < 4u && i + k < n; k++)
				dst[i + k] = (uint8_t)(w >> (8u * k));
		}
		return;
	}
	uintptr_t at = cpu_addr(f, pma); /* as in ud_fsdev_pma_write() */
	uintptr_t step = fsdev_pma_access(f) == UD_FSDEV_PMA_16_STRIDE32 ? 4u : 2u;
	uint8_t *end = dst + (n & ~1u);
	for (; dst != end; dst += 2, at += step) {
		uint32_t h = fsdev_io_read(f, at, 16u);
		dst[0] = (uint8_t)h;
		dst[1] = (uint8_t)(h >> 8);
	}
	if (n & 1u)
		*dst = (uint8_t)fsdev_io_read(f, at, 16u);
}

uint16_t ud_fsdev_rx_count_field(uint16_t size, uint16_t *alloc)
{
	/* Up to 62 bytes in 2-byte blocks (NUM_BLOCK = blocks); beyond, 32-byte blocks
	 * (NUM_BLOCK = blocks - 1), up to 1024. Round up: the buffer must hold a whole packet,
	 * or the hardware answers STALL to it. */
	if (size <= 62u) {
		uint16_t blocks = (uint16_t)((size + 1u) / 2u);
		if (blocks == 0)
			blocks = 1;
		*alloc = (uint16_t)(2u * blocks);
		return (uint16_t)(blocks << FSDEV_RX_NUM_BLOCK_SHIFT);
	}
	uint16_t blocks = (uint16_t)((size + 31u) / 32u);
	if (blocks > 32u)
		blocks = 32u;
	*alloc = (uint16_t)(32u * blocks);
	return (uint16_t)(FSDEV_RX_BL_SIZE | ((blocks - 1u) << FSDEV_RX_NUM_BLOCK_SHIFT));
}
