/* SPDX-License-Identifier: MIT */
/**
 * @file pcap.h
 * @brief `--pcap FILE`: the USB traffic of a run as a capture Wireshark and tshark dissect.
 *
 * The format is what Linux usbmon gives libpcap: link type LINUX_USB_MMAPPED (220), one
 * 64-byte header per record, a URB submission ('S') and its completion ('C') per transfer.
 * The host model's transactions reach the controller through ud_bus_setup(), ud_bus_out()
 * and ud_bus_in() (ctrl_bus.h, either controller); the simulator is linked with `--wrap` for
 * those (sim/CMakeLists.txt), so
 * pcap.c sees each one and its handshake without a hook in the host model. It records:
 *
 * - a control transfer (SETUP, data stage, status stage) as one control URB: the submission
 *   carries the SETUP packet (and the OUT data), the completion the IN data; a STALL ends it
 *   with -EPIPE, a SETUP that overtakes it with -ECONNRESET;
 * - every acknowledged bulk or interrupt packet as one URB of its own (the host model moves
 *   one packet per transaction); a STALL as a URB ending with -EPIPE. NAKs are not visible in
 *   usbmon and are not recorded.
 *
 * Timestamps are simulated: 10 microseconds per transaction from the start of the capture.
 */
#ifndef UD_SIM_PCAP_H
#define UD_SIM_PCAP_H

#include <stdbool.h>

/** @brief Create @p path and start recording. @return 0, or -1 (with a message on stderr). */
int ud_pcap_open(const char *path);

/** @brief Finish the capture (flush, close). */
void ud_pcap_close(void);

/** @brief Pause (false) or resume (true) recording, e.g. while the explorer searches. */
void ud_pcap_enable(bool on);

/** @brief True if a capture file is open. */
bool ud_pcap_is_open(void);

/** @brief True if the simulator was linked with the wrappers (else nothing is recorded). */
bool ud_pcap_available(void);

#endif /* UD_SIM_PCAP_H */
