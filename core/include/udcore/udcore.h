/* SPDX-License-Identifier: MIT */
/**
 * @file udcore.h
 * @brief Everything a firmware or class needs from the core, in one include.
 */
#ifndef UDCORE_H
#define UDCORE_H

#include "ud_ch9.h"
#include "ud_config.h"
#include "ud_desc.h"
#include "ud_device.h"
#include "ud_function.h"
#include "ud_port.h"
#include "ud_req.h"
#include "ud_status.h"
#include "ud_stream.h"

#endif /* UDCORE_H */
