/* SPDX-License-Identifier: MIT */
/**
 * @file usbip_cli.h
 * @brief `udsim serve`: the USB/IP server's subcommand and options (docs/real-hosts.md).
 *
 * udsim.c owns the command line; it hands options it does not know to ud_usbip_cli_option()
 * and runs `serve` with ud_usbip_cli_serve().
 */
#ifndef UD_SIM_USBIP_CLI_H
#define UD_SIM_USBIP_CLI_H

#include <stddef.h>

#include "world.h"

/**
 * @brief Parse option @p opt with the word after it @p val (NULL if none): `--usbip
 * ADDR:PORT`, `--fault NAME`, `--log-urbs`.
 * @return 0 not one of these; 1 taken without a value; 2 taken with @p val; -1 malformed
 * (a message in @p err).
 */
int ud_usbip_cli_option(const char *opt, const char *val, char *err, size_t cap);

/** @brief The options' lines for udsim's usage text. */
const char *ud_usbip_cli_usage(void);

/** @brief `udsim serve`: export @p device until SIGINT or SIGTERM.
 * @return 0 after a signal, 3 if the device or the listener could not be set up, 1 on a
 * server error. */
int ud_usbip_cli_serve(const char *device, const struct ud_sim_options *opt, int argc, char **argv);

#endif /* UD_SIM_USBIP_CLI_H */
