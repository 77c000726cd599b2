/* SPDX-License-Identifier: MIT */
/**
 * @file xcli.h
 * @brief The explorer's udsim subcommands (`explore`, `random`, `replay`) and their options.
 *
 * udsim.c owns the command line; it hands every option it does not know to
 * ud_xcli_option() and calls the subcommands below. docs/verification.md documents them.
 */
#ifndef UD_SIM_XCLI_H
#define UD_SIM_XCLI_H

#include <stddef.h>

#include "world.h"

/**
 * @brief Parse explorer option @p opt with the word after it @p val (NULL if none).
 * @return 0 not an explorer option; 1 taken, no value used; 2 taken with @p val;
 *         -1 malformed (a message in @p err).
 */
int ud_xcli_option(const char *opt, const char *val, char *err, size_t cap);

/** @brief The options' lines for udsim's usage text. */
const char *ud_xcli_usage(void);

/** @brief Open the `--pcap` capture if one was asked for. @return 0, or -1 if it failed. */
int ud_xcli_begin(void);

/** @brief Close the capture. */
void ud_xcli_end(void);

/* Subcommands: @return udsim's exit status (0 ok/proven, 1 violation, 2 usage, 3 failure). */
int ud_xcli_explore(const char *device, const struct ud_sim_options *opt, int argc, char **argv);
int ud_xcli_random(const char *device, const struct ud_sim_options *opt, int argc, char **argv);
int ud_xcli_replay(const char *device, const struct ud_sim_options *opt, int argc, char **argv);

#endif /* UD_SIM_XCLI_H */
