/* SPDX-License-Identifier: MIT */
/*
 * The fixture of the endpoint tests (test_endpoint*.c): one bulk function 'A' (mock_bind_bulk:
 * EP_OUT and EP_IN in alternate setting 0, EP_INT in 1) on the mock port, and the set-ups
 * several tests start from.
 */
#ifndef UD_TEST_ENDPOINT_FIXTURE_H
#define UD_TEST_ENDPOINT_FIXTURE_H

#include "mock_port.h"

#define EP_OUT 0x01u
#define EP_IN 0x81u
#define EP_INT 0x82u /* alt 1 only */

extern struct mock_fn fa;
extern unsigned resubmits; /* on_done_resubmit resubmits this many more times */
extern int resubmit_rc;    /* what its last ud_ep_submit() returned */
extern uint8_t buf[8][512];

/* A completion that records, then resubmits the request while `resubmits` says so. */
void on_done_resubmit(struct ud_device *dev, struct ud_req *req);

/* cmocka set-up of every endpoint test (mock_teardown is the teardown). */
int ep_setup(void **state);

/* Started, enumerated at @p speed and configured; the mock's log cleared. */
void configured(enum ud_speed speed);

/* Configured, two 64-byte requests queued on EP_OUT: @p a at the port, @p b behind it. */
void two_out_requests(struct ud_req *a, struct ud_req *b);

/* Configured, @p r (64 bytes, @p flags) submitted on @p ep and at the port; the number of
 * transfers started on @p ep so far. */
unsigned submitted_64(uint8_t ep, struct ud_req *r, uint16_t flags);

/* The port had finished @p ep's transfer after @p moved bytes without reporting it: its
 * ep_abort() reports it (ud_port.h). */
void ended_unreported(uint8_t ep, uint32_t moved);

#define EP_T(f) cmocka_unit_test_setup_teardown(f, ep_setup, mock_teardown)

#endif /* UD_TEST_ENDPOINT_FIXTURE_H */
