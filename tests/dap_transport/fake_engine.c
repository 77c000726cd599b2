/* SPDX-License-Identifier: MIT */
/* The fake engine of the transport tests. See fake_engine.h. */
#include "fake_engine.h"

#include <string.h>

#include "udcore/ud_dap_engine.h"

struct fake_engine_log fe_log;

void ud_dap_engine_init(struct ud_dap_engine *e, const struct ud_dap_info *info,
                        const struct ud_swd_io *io, void *io_ctx)
{
	memset(e, 0, sizeof(*e));
	e->info = info;
	e->io = io;
	e->io_ctx = io_ctx;
	fe_log.inits++;
}

uint32_t ud_dap_engine_execute(struct ud_dap_engine *e, const uint8_t *req, uint32_t req_len,
                               uint8_t *resp, uint32_t resp_cap)
{
	(void)e;
	fe_log.executes++;
	fe_log.last_len = req_len;
	fe_log.last_cap = resp_cap;
	fe_log.last_first = req[0];
	if (req[0] == FE_CMD_NONE)
		return 0;
	if (req[0] == FE_CMD_HUGE)
		return resp_cap + 100u;
	if (req[0] == FE_CMD_LEN && req_len >= 3) {
		uint32_t n = (uint32_t)req[1] | ((uint32_t)req[2] << 8);
		if (n > resp_cap)
			n = resp_cap;
		for (uint32_t i = 0; i < n; i++)
			resp[i] = (uint8_t)i;
		resp[0] = FE_CMD_LEN;
		return n;
	}
	uint32_t n = req_len < resp_cap ? req_len : resp_cap;
	memcpy(resp, req, n);
	return n;
}

void ud_dap_engine_abort(struct ud_dap_engine *e)
{
	(void)e;
	fe_log.aborts++;
}
